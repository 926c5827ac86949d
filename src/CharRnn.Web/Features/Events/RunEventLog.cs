namespace CharRnn.Web.Features.Events;

/// <summary>
/// One structured log line per run event (status changes, evaluations, checkpoints), with the run id and figures as
/// named fields, so a log pipeline (<c>Logging__Console__FormatterName=json</c>) can follow runs without the hub.
/// Steps are not logged one by one: they are the metrics' job (<c>/metrics</c>, <c>GET /api/runs/{id}/metrics</c>).
/// </summary>
public sealed class RunEventLog(TrainingBroadcaster broadcaster, ILogger<RunEventLog> log) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken ct)
    {
        _subscription = broadcaster.Subscribe(Write);
        return Task.CompletedTask;
    }

    private void Write(TrainingEvent e)
    {
        if (e.Relayed) return; // logged by the instance where it happened
        switch (e)
        {
            case StatusChangedEvent s when s.Error is null:
                log.LogInformation("Run {RunId} is {Status}", s.RunId, s.Status.Name());
                break;
            case StatusChangedEvent s:
                log.LogWarning("Run {RunId} is {Status}: {Reason}", s.RunId, s.Status.Name(), s.Error);
                break;
            case EvaluatedEvent v:
                log.LogInformation("Run {RunId} evaluated at step {Step}: validation loss {ValLoss:F4}", v.RunId, v.Evaluation.Step, v.Evaluation.ValLoss);
                break;
            case CheckpointSavedEvent c:
                log.LogInformation("Run {RunId} saved checkpoint {CheckpointId} at step {Step}", c.RunId, c.Checkpoint.Id, c.Checkpoint.Step);
                break;
        }
    }

    public Task StopAsync(CancellationToken ct)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
