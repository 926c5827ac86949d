using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class SamplesApi
{
    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/samples", Sample);
        return app;
    }

    public static async Task<Results<Ok<SampleResponse>, ProblemHttpResult>> Sample(SampleRequest request, SamplingService sampling, CancellationToken ct)
    {
        var (weights, options, problem, notFound) = await sampling.PrepareAsync(request, ct);
        if (problem is not null) return notFound ? Problems.NotFound(problem) : Problems.BadRequest(problem);
        // Drawing is CPU work: off the request thread, so the server keeps answering.
        var text = await Task.Run(() => SamplingService.Generate(weights!, options!), ct);
        return TypedResults.Ok(new SampleResponse(text, options!.Seed!.Value));
    }
}
