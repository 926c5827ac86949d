using CharRnn.Training.Devices;

namespace CharRnn.Web.Features.Queue;

/// <summary>A run the queue is training now: how to stop it, and its metrics so far.</summary>
/// <param name="sweepId">The sweep whose trial it is: trials of one sweep share a device up to the sweep's concurrency.</param>
public sealed class ActiveRun(int runId, TrainingDevice device, MetricLog metrics, int? sweepId = null)
{
    private readonly CancellationTokenSource _cancel = new();

    public int RunId { get; } = runId;
    public TrainingDevice Device { get; } = device;
    public int? SweepId { get; } = sweepId;
    public MetricLog Metrics { get; } = metrics;
    public CancellationToken Token => _cancel.Token;

    /// <summary>True when a person cancelled it; false when the server is shutting down (the run is then interrupted).</summary>
    public bool CancelledByUser { get; private set; }

    /// <summary>Why the server stopped it as failed (low disk space), or null.</summary>
    public string? FailureReason { get; private set; }

    public void Cancel(bool byUser)
    {
        CancelledByUser |= byUser;
        _cancel.Cancel();
    }

    /// <summary>
    /// Why it was stopped early, and at which step: its sweep's successive halving stopped it at a rung, or it stayed stuck
    /// past its health setting. Null while it goes on. A run stopped early ends as stopped, not cancelled.
    /// </summary>
    public string? StopReason { get; private set; }
    public long? StoppedAtStep { get; private set; }

    /// <summary>
    /// Stops it after the current step, keeping a checkpoint, as stopped with <paramref name="reason"/>: the one way a run
    /// stops early, whatever decided it in the process that trains it. The first reason stands.
    /// </summary>
    public void StopEarly(string reason, long step)
    {
        if (StopReason is not null) return;
        (StopReason, StoppedAtStep) = (reason, step);
        _cancel.Cancel();
    }

    /// <summary>Stops it after the current step, keeping a checkpoint, and marks it failed with <paramref name="reason"/>.</summary>
    public void Fail(string reason)
    {
        FailureReason ??= reason;
        _cancel.Cancel();
    }
}
