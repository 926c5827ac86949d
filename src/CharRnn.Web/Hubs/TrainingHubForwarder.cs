using System.Threading.Channels;
using CharRnn.Web.Features.Events;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary>
/// Relays the <see cref="TrainingBroadcaster"/>'s events to SignalR clients of <see cref="TrainingHub"/>,
/// one at a time through a queue, so they arrive in the order they happened and training never waits on the network.
/// </summary>
public sealed class TrainingHubForwarder(TrainingBroadcaster broadcaster, IHubContext<TrainingHub> hub, ILogger<TrainingHubForwarder> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var queue = Channel.CreateUnbounded<TrainingEvent>(new UnboundedChannelOptions { SingleReader = true });
        // Events relayed from another instance reached its clients there, and ours through the SignalR backplane.
        using var subscription = broadcaster.Subscribe(e => { if (!e.Relayed) queue.Writer.TryWrite(e); });
        await foreach (var e in queue.Reader.ReadAllAsync(stopping))
        {
            var group = hub.Clients.Group(TrainingHub.Group(e.RunId));
            try
            {
                await (e switch
                {
                    ProgressEvent p => group.SendAsync("Progress", p.RunId, p.Metric, stopping),
                    EvaluatedEvent v => group.SendAsync("Evaluated", v.RunId, v.Evaluation, stopping),
                    CheckpointSavedEvent c => group.SendAsync("CheckpointSaved", c.RunId, c.Checkpoint, stopping),
                    StatusChangedEvent s => group.SendAsync("StatusChanged", s.RunId, s.Status, s.Error, stopping),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Could not relay {Event} for run {RunId}", e.GetType().Name, e.RunId);
            }
        }
    }
}
