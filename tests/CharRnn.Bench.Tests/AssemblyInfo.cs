// Each test starts charrnn-bench, which runs libtorch's threads; one at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
