using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class SamplesApi
{
    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/samples", Sample).RequireAuthorization(OwnerAccess.Policy);
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
            // Drawing is CPU work: off the request thread, so the server keeps answering; it stops if the client goes away.
            var text = await Task.Run(() => SamplingService.Generate(weights!, options!, ct), ct);
            return TypedResults.Ok(new SampleResponse(text, options!.Seed!.Value));
        }
    }

    /// <summary>Who is asking, for the per-client limit: the connection's address.</summary>
    public static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
