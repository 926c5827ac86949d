using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Sweeps;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/sweeps</c>: start a search over training options (JSON or YAML), watch it, cancel it, rerun its failed trials, promote a stopped one.</summary>
public static class SweepsApi
{
    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps").ProducesProblems(400, 404, 409);
        api.MapPost("/", Create).RequireAuthorization(OwnerAccess.Policy)
            .Accepts<CreateSweepRequest>("application/json", "application/yaml", "text/yaml");
        api.MapPost("/estimate", Estimate).RequireAuthorization(OwnerAccess.Policy)
            .Accepts<CreateSweepRequest>("application/json", "application/yaml", "text/yaml");
        api.MapGet("/", List).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapPost("/{id:int}/cancel", Cancel).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/rerun-failed", RerunFailed).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/trials/{runId:int}/promote", Promote).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/links", CreateLink).RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}/links", RevokeLinks).RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Queues a sweep's trials from a JSON or YAML document; 400 with every reason, and nothing queued, when it does not fit.</summary>
    public static async Task<Results<Created<SweepDto>, ProblemHttpResult>> Create(HttpRequest http, SweepService sweeps, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(http, ct);
        if (request is null) return problem!.ToProblem();
        return (await sweeps.CreateAsync(request, ct)).CreatedOrProblem(sweep => $"/api/sweeps/{sweep.Id}");
    }

    /// <summary>How long the sweep would take on this server, with and without early stopping.</summary>
    public static async Task<Results<Ok<SweepEstimate>, ProblemHttpResult>> Estimate(HttpRequest http, SweepService sweeps, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(http, ct);
        if (request is null) return problem!.ToProblem();
        return (await sweeps.EstimateAsync(request, ct)).OkOrProblem();
    }

    /// <summary>The body as a sweep request: YAML when the content type says so, else JSON.</summary>
    private static async Task<(CreateSweepRequest?, Failure?)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        var yaml = http.ContentType is { } type && type.Contains("yaml", StringComparison.OrdinalIgnoreCase);
        var (request, problem) = SweepRequests.Parse(await new StreamReader(http.Body).ReadToEndAsync(ct), yaml);
        return request is null ? (null, Failure.Invalid(problem!)) : (request, null);
    }

    public static async Task<Ok<IReadOnlyList<SweepDto>>> List(SweepService sweeps, CancellationToken ct) => TypedResults.Ok(await sweeps.ListAsync(ct));

    public static async Task<Results<Ok<SweepDto>, ProblemHttpResult>> Get(int id, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.GetAsync(id, ct)).OkOrProblem();

    /// <summary>Takes the queued trials off the queue and stops the running ones, each with a checkpoint.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Cancel(int id, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.CancelAsync(id, ct)).AcceptedOrProblem($"/api/sweeps/{id}");

    /// <summary>Queues the failed and interrupted trials again, each from its newest checkpoint.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> RerunFailed(int id, SweepService sweeps, CancellationToken ct)
    {
        var rerun = await sweeps.RerunFailedAsync(id, ct);
        return rerun.Ok ? TypedResults.Accepted($"/api/sweeps/{id}") : rerun.Failure!.ToProblem();
    }

    /// <summary>Continues a trial that early stopping stopped, from its checkpoint at the rung; it is not stopped again.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Promote(int id, int runId, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.PromoteAsync(id, runId, ct)).AcceptedOrProblem($"/api/runs/{runId}");

    /// <summary>A read-only link to the sweep's page: whoever has it watches this sweep, even when reading is private.</summary>
    public static async Task<Results<Created<ReadOnlyLinkDto>, ProblemHttpResult>> CreateLink(int id, SweepService sweeps, SweepLinks links, CancellationToken ct) =>
        ReadOnlyLinkEndpoints.Create(await sweeps.GetAsync(id, ct), links, id);

    /// <summary>Revokes every read-only link to the sweep.</summary>
    public static NoContent RevokeLinks(int id, SweepLinks links) => ReadOnlyLinkEndpoints.Revoke(links, id);
}
