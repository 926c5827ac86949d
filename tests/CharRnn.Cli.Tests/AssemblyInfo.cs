// Each test starts charrnn, which runs libtorch's threads; one at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
