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
    /// True when it was stopped early with a reason on its row: its sweep's successive halving stopped it at a rung, or it
    /// stayed stuck past its health setting. The run is then stopped, not cancelled.
    /// </summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>Stops it after the current step, keeping a checkpoint, as stopped early (<see cref="StoppedEarly"/>).</summary>
    public void StopEarly()
    {
        StoppedEarly = true;
        _cancel.Cancel();
    }

    /// <summary>Stops it after the current step, keeping a checkpoint, and marks it failed with <paramref name="reason"/>.</summary>
    public void Fail(string reason)
    {
        FailureReason ??= reason;
        _cancel.Cancel();
    }
}
