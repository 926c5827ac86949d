using CharRnn.Web.Contracts;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary><c>/hubs/sampling</c>: <c>Sample(request)</c> streams the text in chunks as it is drawn; the first chunk begins with the prime.</summary>
public sealed class SamplingHub(SamplingService sampling) : Hub
{
    public async IAsyncEnumerable<string> Sample(SampleRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var (weights, options, problem, _) = await sampling.PrepareAsync(request, ct);
        if (problem is not null) throw new HubException(problem);
        await foreach (var chunk in SamplingService.Stream(weights!, options!, ct)) yield return chunk;
    }
}
