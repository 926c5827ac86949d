using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class SamplesApi
{
    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/samples", Sample).RequireAuthorization(OwnerAccess.Policy);
        app.MapPost("/api/samples/variations", Variations).RequireAuthorization(OwnerAccess.Policy);
        return app;
    }

    public static async Task<Results<Ok<SampleResponse>, ProblemHttpResult>> Sample(SampleRequest request, SamplingService sampling, SamplingGate gate,
        HttpContext http, CancellationToken ct)
    {
        var (weights, options, problem, status) = await sampling.PrepareAsync(request, ct);
        if (problem is not null) return Problems.WithStatus(status, problem);
        var (lease, refusal) = await gate.EnterAsync(Client(http), ct);
        if (lease is null) return Problems.TooMany(refusal!);
        using (lease)
        {
            // Drawn on the checkpoint's batch thread, with whatever else is drawn from it; it stops if the client goes away.
            var text = await sampling.GenerateAsync(weights!, options!, ct);
            return TypedResults.Ok(new SampleResponse(text, options!.Seed!.Value));
        }
    }

    /// <summary>Several passages from one prime, drawn together in one batch; counts as one sampling against the limits.</summary>
    public static async Task<Results<Ok<VariationsResponse>, ProblemHttpResult>> Variations(VariationsRequest request, SamplingService sampling, SamplingGate gate,
        HttpContext http, CancellationToken ct)
    {
        if (SamplingService.VariationsProblem(request.Count) is { } wrongCount) return Problems.WithStatus(400, wrongCount);
        var (weights, options, problem, status) = await sampling.PrepareAsync(request.Sample, ct);
        if (problem is not null) return Problems.WithStatus(status, problem);
        var (lease, refusal) = await gate.EnterAsync(Client(http), ct);
        if (lease is null) return Problems.TooMany(refusal!);
        using (lease)
        {
            var texts = new System.Text.StringBuilder[request.Count];
            var seeds = new int[request.Count];
            await foreach (var chunk in sampling.Variations(weights!, options!, request.Count, ct))
            {
                (texts[chunk.Index] ??= new()).Append(chunk.Text);
                seeds[chunk.Index] = chunk.Seed;
            }
            return TypedResults.Ok(new VariationsResponse(texts.Select((t, i) => new SampleResponse(t?.ToString() ?? "", seeds[i])).ToList()));
        }
    }

    /// <summary>Who is asking, for the per-client limit: the connection's address.</summary>
    public static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
