using System.Text;
using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Sampling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/samples</c>: text drawn on the server from a checkpoint, whole; the sampling hub streams it instead.</summary>
public static class SamplesApi
{
    public static RouteGroupBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/samples").WithTags("Sampling").ProducesProblems(400, 404, 409, 429);
        api.MapPost("/", Sample).WithName("sampleText").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/variations", Variations).WithName("sampleVariations").RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Sample text</summary>
    /// <remarks>A passage for a prime, settings and seed (a null top-k or top-p draws from every character; a null seed picks one, which the answer gives). It ends at its length, or sooner at a stop sequence; `endedBy` says which. With `beam`, a beam search of that width finds the likeliest continuation instead of drawing one, and the answer gives its log-probability and bits per character.</remarks>
    public static async Task<Results<Ok<SampleResponse>, ProblemHttpResult>> Sample(SampleRequest request, SamplingService sampling, HttpContext http, CancellationToken ct)
    {
        var started = await sampling.StartAsync(request, ClientAddress.Of(http), ct);
        if (!started.Ok) return started.Failure!.ToProblem();
        // Drawn on the checkpoint's batch thread, with whatever else is drawn from it; it stops if the client goes away.
        using var ticket = started.Value;
        return TypedResults.Ok(await sampling.GenerateAsync(ticket, ct));
    }

    /// <summary>Sample several passages at once</summary>
    /// <remarks>Several passages from one prime, drawn together in one batch; counts as one sampling against the limits.</remarks>
    public static async Task<Results<Ok<VariationsResponse>, ProblemHttpResult>> Variations(VariationsRequest request, SamplingService sampling, HttpContext http, CancellationToken ct)
    {
        var started = await sampling.StartVariationsAsync(request, ClientAddress.Of(http), ct);
        if (!started.Ok) return started.Failure!.ToProblem();
        using var ticket = started.Value;
        var texts = new StringBuilder[request.Count];
        var seeds = new int[request.Count];
        var endings = new SampleEnding[request.Count];
        await foreach (var chunk in sampling.Variations(ticket, request.Count, ct))
        {
            (texts[chunk.Index] ??= new()).Append(chunk.Text);
            seeds[chunk.Index] = chunk.Seed;
            if (chunk.EndedBy is { } ending) endings[chunk.Index] = ending;
        }
        return TypedResults.Ok(new VariationsResponse(texts.Select((t, i) => new SampleResponse(t?.ToString() ?? "", seeds[i], endings[i])).ToList()));
    }
}
