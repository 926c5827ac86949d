// libtorch runs its own threads; tests in parallel on two cores would fight over them (DESIGN.md: OpenMP on 2 cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
