using System.Collections.Concurrent;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Sampling;

/// <summary>
/// Bounds the samplings that run on the server at once, for each client address and in all: each one holds a core
/// for as long as it draws. A request waits briefly for a place, then is refused with the limit and its setting.
/// </summary>
public sealed class SamplingGate(IOptions<StudioOptions> studio)
{
    /// <summary>How long a request waits for a place before it is refused.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _all = new(studio.Value.Limits.MaxConcurrentSamplings);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perClient = new();

    /// <summary>A place to sample, released on dispose; or why there is none (too many at once).</summary>
    /// <param name="client">Who asks (an address), for the per-client limit; null for the server's own pages (a comparison's columns), which count against the total only.</param>
    public async Task<Result<Place>> EnterAsync(string? client, CancellationToken ct)
    {
        var limits = studio.Value.Limits;
        var mine = client is null ? null : _perClient.GetOrAdd(client, _ => new SemaphoreSlim(limits.MaxConcurrentSamplingsPerClient));
        if (mine is not null && !await mine.WaitAsync(Wait, ct))
            return Failure.TooMany($"You are already sampling {limits.MaxConcurrentSamplingsPerClient} passages at once, the limit for one client ({StudioLimits.Raise(nameof(limits.MaxConcurrentSamplingsPerClient))}); wait for one to finish.");
        if (!await _all.WaitAsync(Wait, ct))
        {
            mine?.Release();
            return Failure.TooMany($"The server is sampling {limits.MaxConcurrentSamplings} passages at once, its limit ({StudioLimits.Raise(nameof(limits.MaxConcurrentSamplings))}); try again in a moment.");
        }
        return new Place(() => { _all.Release(); mine?.Release(); });
    }

    /// <summary>A place among the samplings at once; disposing gives it back (once).</summary>
    public sealed class Place(Action release) : IDisposable
    {
        private Action? _release = release;
        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
