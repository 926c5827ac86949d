namespace CharRnn.Web.Features.Events;

/// <summary>
/// The one in-process notifier of training events: Blazor pages subscribe directly, and
/// the hub's forwarder relays everything to SignalR clients. A subscription is
/// disposable; a subscriber that throws is logged and kept out of the others' way.
/// </summary>
public sealed class TrainingBroadcaster(ILogger<TrainingBroadcaster> log)
{
    private readonly Lock _gate = new();
    private Action<TrainingEvent>[] _subscribers = [];

    public IDisposable Subscribe(Action<TrainingEvent> handler)
    {
        lock (_gate) _subscribers = [.. _subscribers, handler];
        return new Subscription(() => { lock (_gate) _subscribers = _subscribers.Where(s => s != handler).ToArray(); });
    }

    public void Publish(TrainingEvent e)
    {
        foreach (var subscriber in _subscribers)
        {
            try { subscriber(e); }
            catch (Exception ex) { log.LogWarning(ex, "A training-event subscriber failed on {Event}", e.GetType().Name); }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
