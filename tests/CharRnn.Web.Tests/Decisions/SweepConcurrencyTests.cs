using CharRnn.Web.Data;
using CharRnn.Web.Features.Sweeps;

namespace CharRnn.Web.Tests.Decisions;

/// <summary>
/// The one rule for how many runs share a device or hold Slurm jobs, with runs made up here. The queue's wiring is
/// EarlyStoppingTests' sweep (two trials at a time); the Slurm executor's is SlurmTests' (two jobs at a time).
/// </summary>
public class SweepConcurrencyTests
{
    private static Run Run(int? sweepId) => new() { Name = "r", OptionsJson = "{}", Device = "CPU", SweepId = sweepId };

    private static readonly SweepConcurrency Concurrency = new(new Dictionary<int, int> { [1] = 2, [2] = 3 });

    [Fact]
    public void A_run_of_no_sweep_starts_only_where_nothing_trains()
    {
        Assert.Equal(1, Concurrency.Of(Run(null)));
        Assert.True(Concurrency.HasRoom(Run(null), []));
        Assert.False(Concurrency.HasRoom(Run(null), [null]));
        Assert.False(Concurrency.HasRoom(Run(null), [1]));
    }

    [Fact]
    public void A_trial_starts_beside_its_own_sweeps_trials_up_to_the_sweeps_concurrency_and_beside_nothing_else()
    {
        Assert.Equal(2, Concurrency.Of(Run(1)));
        Assert.True(Concurrency.HasRoom(Run(1), []));
        Assert.True(Concurrency.HasRoom(Run(1), [1]));
        Assert.False(Concurrency.HasRoom(Run(1), [1, 1]));
        Assert.True(Concurrency.HasRoom(Run(2), [2, 2]));
        Assert.False(Concurrency.HasRoom(Run(1), [2])); // another sweep's trial
        Assert.False(Concurrency.HasRoom(Run(1), [null])); // a run of no sweep
    }
}
