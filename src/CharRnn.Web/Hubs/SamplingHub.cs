using System.Runtime.CompilerServices;
using CharRnn.Web.Features.Sampling;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary>
/// <c>/hubs/sampling</c>: <c>Sample(request)</c> streams the text in chunks as it is drawn, the first chunk beginning with
/// the prime; <c>SampleVariations(request)</c> streams several passages drawn together as <see cref="VariationChunk"/>s.
/// </summary>
public sealed class SamplingHub(SamplingService sampling) : Hub
{
    public async IAsyncEnumerable<string> Sample(SampleRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        using var ticket = (await sampling.StartAsync(request, Client, ct)).OrThrow();
        await foreach (var chunk in sampling.Stream(ticket, ct)) yield return chunk;
    }

    public async IAsyncEnumerable<VariationChunk> SampleVariations(VariationsRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        using var ticket = (await sampling.StartVariationsAsync(request, Client, ct)).OrThrow();
        await foreach (var chunk in sampling.Variations(ticket, request.Count, ct)) yield return chunk;
    }

    /// <summary>Who is asking, for the per-client limit: the connection's address, else the connection itself.</summary>
    private string Client => Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? Context.ConnectionId;
}
