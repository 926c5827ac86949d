using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Client.Sampling;

/// <summary>
/// Text drawn on the server and streamed through <c>/hubs/sampling</c>: one connection for the page's life, started on
/// first use. The hub's errors (a bad prime, too many samplings at once) arrive as <see cref="HubException"/>s.
/// </summary>
public sealed class ServerSampling(Uri server) : IAsyncDisposable
{
    private HubConnection? _hub;

    /// <summary>Chunks of one passage as they are drawn; the first begins with the prime.</summary>
    public async IAsyncEnumerable<string> Sample(SampleRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var hub = await ConnectedAsync(ct);
        await foreach (var chunk in hub.StreamAsync<string>("Sample", request, ct)) yield return chunk;
    }

    /// <summary>Chunks of several passages drawn together, each tagged with its passage.</summary>
    public async IAsyncEnumerable<VariationChunk> Variations(VariationsRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var hub = await ConnectedAsync(ct);
        await foreach (var chunk in hub.StreamAsync<VariationChunk>("SampleVariations", request, ct)) yield return chunk;
    }

    private async Task<HubConnection> ConnectedAsync(CancellationToken ct)
    {
        _hub ??= new HubConnectionBuilder().WithUrl(new Uri(server, "/hubs/sampling"))
            .AddJsonProtocol(o => ContractsJson.Configure(o.PayloadSerializerOptions)).Build();
        if (_hub.State == HubConnectionState.Disconnected) await _hub.StartAsync(ct);
        return _hub;
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }
}
