using CharRnn.Web.Contracts;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary><c>/hubs/sampling</c>: <c>Sample(request)</c> streams the text in chunks as it is drawn; the first chunk begins with the prime.</summary>
public sealed class SamplingHub(SamplingService sampling, SamplingGate gate) : Hub
{
    public async IAsyncEnumerable<string> Sample(SampleRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var (weights, options, problem, _) = await sampling.PrepareAsync(request, ct);
        if (problem is not null) throw new HubException(problem);
        var (lease, refusal) = await gate.EnterAsync(Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? Context.ConnectionId, ct);
        if (lease is null) throw new HubException(refusal);
        using (lease)
            await foreach (var chunk in SamplingService.Stream(weights!, options!, ct)) yield return chunk;
    }
}
