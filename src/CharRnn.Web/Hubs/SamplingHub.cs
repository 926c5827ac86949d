using CharRnn.Web.Contracts;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary>
/// <c>/hubs/sampling</c>: <c>Sample(request)</c> streams the text in chunks as it is drawn, the first chunk beginning with
/// the prime; <c>SampleVariations(request)</c> streams several passages drawn together as <see cref="VariationChunk"/>s.
/// </summary>
public sealed class SamplingHub(SamplingService sampling, SamplingGate gate) : Hub
{
    public async IAsyncEnumerable<string> Sample(SampleRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var (weights, options, problem, _) = await sampling.PrepareAsync(request, ct);
        if (problem is not null) throw new HubException(problem);
        var (lease, refusal) = await gate.EnterAsync(Client, ct);
        if (lease is null) throw new HubException(refusal);
        using (lease)
            await foreach (var chunk in sampling.Stream(weights!, options!, ct)) yield return chunk;
    }

    public async IAsyncEnumerable<VariationChunk> SampleVariations(VariationsRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (SamplingService.VariationsProblem(request.Count) is { } wrongCount) throw new HubException(wrongCount);
        var (weights, options, problem, _) = await sampling.PrepareAsync(request.Sample, ct);
        if (problem is not null) throw new HubException(problem);
        // One batch draws them all, so the request counts as one sampling against the limits.
        var (lease, refusal) = await gate.EnterAsync(Client, ct);
        if (lease is null) throw new HubException(refusal);
        using (lease)
            await foreach (var chunk in sampling.Variations(weights!, options!, request.Count, ct)) yield return chunk;
    }

    /// <summary>Who is asking, for the per-client limit: the connection's address, else the connection itself.</summary>
    private string Client => Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? Context.ConnectionId;
}
