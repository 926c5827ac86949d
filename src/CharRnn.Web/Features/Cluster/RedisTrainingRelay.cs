using System.Text.Json;
using CharRnn.Web.Features.Events;
using StackExchange.Redis;

namespace CharRnn.Web.Features.Cluster;

/// <summary>
/// Carries training events between web instances through Redis (<c>ConnectionStrings:Redis</c>): what this instance's
/// <see cref="TrainingBroadcaster"/> publishes goes out on one channel, and what the others publish comes in marked
/// <see cref="TrainingEvent.Relayed"/>, so the Blazor pages, the metrics and the logs of every instance see every run.
/// SignalR clients get the originating instance's messages through SignalR's own Redis backplane, so relayed events
/// are not forwarded to the hub again.
/// </summary>
public sealed class RedisTrainingRelay(IConnectionMultiplexer redis, TrainingBroadcaster broadcaster, RelayedRunMetrics recent, ILogger<RedisTrainingRelay> log) : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("charrnn:training-events");

    /// <summary>This process: its own events come back from Redis and are dropped. A restarted instance is a new origin.</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private IDisposable? _subscription;
    private ChannelMessageQueue? _incoming;

    public async Task StartAsync(CancellationToken ct)
    {
        // A message queue, not a handler: messages are handled one at a time, in the order they were published.
        _incoming = await redis.GetSubscriber().SubscribeAsync(Channel);
        _incoming.OnMessage(message => Receive(message.Message));
        _subscription = broadcaster.Subscribe(e => { if (!e.Relayed) Send(e); });
    }

    private void Send(TrainingEvent e)
    {
        var envelope = new RelayedEvent(_origin, e.GetType().Name, e.RunId,
            (e as ProgressEvent)?.Metric, (e as ProgressEvent)?.Run, (e as EvaluatedEvent)?.Evaluation,
            (e as CheckpointSavedEvent)?.Checkpoint, (e as StatusChangedEvent)?.Status, (e as StatusChangedEvent)?.Error);
        redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(envelope, ContractsJson.Options), CommandFlags.FireAndForget);
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<RelayedEvent>(message.ToString(), ContractsJson.Options)!;
            if (envelope.Origin == _origin) return;
            TrainingEvent? e = envelope.Kind switch
            {
                nameof(ProgressEvent) => new ProgressEvent(envelope.RunId, envelope.Metric!, envelope.Run!),
                nameof(EvaluatedEvent) => new EvaluatedEvent(envelope.RunId, envelope.Evaluation!),
                nameof(CheckpointSavedEvent) => new CheckpointSavedEvent(envelope.RunId, envelope.Checkpoint!),
                nameof(StatusChangedEvent) => new StatusChangedEvent(envelope.RunId, envelope.Status!.Value, envelope.Error),
                _ => null,
            };
            if (e is null) return;
            e = e with { Relayed = true };
            recent.Record(e);
            broadcaster.Publish(e);
        }
        catch (Exception ex) { log.LogWarning(ex, "A training event from Redis could not be read"); }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _subscription?.Dispose();
        if (_incoming is not null) await _incoming.UnsubscribeAsync();
    }

    private sealed record RelayedEvent(string Origin, string Kind, int RunId, MetricDto? Metric, RunDto? Run, EvaluationDto? Evaluation,
        CheckpointDto? Checkpoint, RunStatus? Status, string? Error);
}
