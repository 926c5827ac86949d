// Each test starts a server that trains with libtorch; one at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
