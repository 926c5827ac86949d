using CharRnn.Web.Data;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// How many of a sweep's trials train at once: the one rule that the in-process queue (on a device) and the Slurm
/// executor (jobs given to the cluster) both apply, and how many trials share a device's cores.
/// </summary>
public sealed class SweepConcurrency(IReadOnlyDictionary<int, int> bySweep)
{
    /// <summary>The concurrency of the sweeps that <paramref name="runs"/> are trials of, in one query.</summary>
    public static SweepConcurrency Read(StudioDbContext context, IEnumerable<Run> runs)
    {
        var ids = runs.Select(r => r.SweepId).OfType<int>().Distinct().ToList();
        return new(context.Sweeps.Where(s => ids.Contains(s.Id)).ToDictionary(s => s.Id, s => s.Concurrency));
    }

    /// <summary>Trials of the run's sweep that may train at once; 1 for a run of no sweep.</summary>
    public int Of(Run run) => run.SweepId is { } id ? bySweep[id] : 1;

    /// <summary>
    /// Whether <paramref name="run"/> may start beside <paramref name="occupants"/>, the sweep of each run already training
    /// there or holding a job (null for a run of no sweep): when there are none, or when all are trials of its own sweep
    /// and fewer than its concurrency.
    /// </summary>
    public bool HasRoom(Run run, IReadOnlyCollection<int?> occupants) =>
        occupants.Count == 0 || (run.SweepId is not null && occupants.All(s => s == run.SweepId) && occupants.Count < Of(run));
}
