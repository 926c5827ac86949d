using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// The turns of a run's life that a person's resume, the in-process queue and the Slurm executor all take, written once.
/// (Stopping early is <see cref="ActiveRun.StopEarly"/>; a sweep's concurrency is <c>SweepConcurrency</c>.)
/// </summary>
public static class RunLife
{
    /// <summary>
    /// Queues <paramref name="run"/> again: it continues from its newest checkpoint, its last error and end forgotten, and
    /// with Slurm a new job continues it.
    /// </summary>
    public static void Requeue(Run run) =>
        (run.Status, run.Error, run.FinishedAt, run.JobId, run.JobState, run.JobReason) = (RunStatus.Queued, null, null, null, null, null);

    /// <summary>
    /// Queues an interrupted trial again, without anyone resuming it, when its sweep goes on (is not cancelled); true when it
    /// did. A crash, a shutdown or a lost Slurm job then costs the trial only the steps since its newest checkpoint.
    /// </summary>
    public static async Task<bool> RequeueTrialAsync(StudioDbContext context, Run run, CancellationToken ct)
    {
        if (run.SweepId is not { } sweepId || await context.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Cancelled).SingleAsync(ct)) return false;
        Requeue(run);
        return true;
    }
}
