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
        api.MapPost("/", Create).WithName("createSweep").RequireAuthorization(OwnerAccess.Policy)
            .Accepts<CreateSweepRequest>("application/json", "application/yaml", "text/yaml");
        api.MapPost("/estimate", Estimate).WithName("estimateSweep").RequireAuthorization(OwnerAccess.Policy)
            .Accepts<CreateSweepRequest>("application/json", "application/yaml", "text/yaml");
        api.MapGet("/", List).WithName("listSweeps").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).WithName("getSweep").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapPost("/{id:int}/cancel", Cancel).WithName("cancelSweep").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/rerun-failed", RerunFailed).WithName("rerunFailedTrials").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/trials/{runId:int}/promote", Promote).WithName("promoteTrial").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/links", CreateLink).WithName("createSweepLink").RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}/links", RevokeLinks).WithName("revokeSweepLinks").RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Queue a sweep</summary>
    /// <remarks>Queues a sweep's trials from a JSON or YAML document; 400 with every reason, and nothing queued, when it does not fit.</remarks>
    public static async Task<Results<Created<SweepDto>, ProblemHttpResult>> Create(HttpRequest http, SweepService sweeps, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(http, ct);
        if (request is null) return problem!.ToProblem();
        return (await sweeps.CreateAsync(request, ct)).CreatedOrProblem(sweep => $"/api/sweeps/{sweep.Id}");
    }

    /// <summary>Estimate a sweep's time</summary>
    /// <remarks>How long the sweep would take on this server, with and without early stopping.</remarks>
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

    /// <summary>List the sweeps</summary>
    /// <remarks>Every sweep, newest first, with its trials.</remarks>
    public static async Task<Ok<IReadOnlyList<SweepDto>>> List(SweepService sweeps, CancellationToken ct) => TypedResults.Ok(await sweeps.ListAsync(ct));

    /// <summary>Get a sweep</summary>
    /// <remarks>One sweep: its request, status, best trial, and each trial with its parameters, progress, rungs and the reason it stopped.</remarks>
    public static async Task<Results<Ok<SweepDto>, ProblemHttpResult>> Get(int id, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.GetAsync(id, ct)).OkOrProblem();

    /// <summary>Cancel a sweep</summary>
    /// <remarks>Takes the queued trials off the queue and stops the running ones, each with a checkpoint.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> Cancel(int id, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.CancelAsync(id, ct)).AcceptedOrProblem($"/api/sweeps/{id}");

    /// <summary>Rerun a sweep's failed trials</summary>
    /// <remarks>Queues the failed and interrupted trials again, each from its newest checkpoint.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> RerunFailed(int id, SweepService sweeps, CancellationToken ct)
    {
        var rerun = await sweeps.RerunFailedAsync(id, ct);
        return rerun.Ok ? TypedResults.Accepted($"/api/sweeps/{id}") : rerun.Failure!.ToProblem();
    }

    /// <summary>Promote a stopped trial</summary>
    /// <remarks>Continues a trial that early stopping stopped, from its checkpoint at the rung; it is not stopped again.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> Promote(int id, int runId, SweepService sweeps, CancellationToken ct) =>
        (await sweeps.PromoteAsync(id, runId, ct)).AcceptedOrProblem($"/api/runs/{runId}");

    /// <summary>Create a read-only link to a sweep</summary>
    /// <remarks>A read-only link to the sweep's page: whoever has it watches this sweep, even when reading is private.</remarks>
    public static async Task<Results<Created<ReadOnlyLinkDto>, ProblemHttpResult>> CreateLink(int id, SweepService sweeps, SweepLinks links, CancellationToken ct) =>
        ReadOnlyLinkEndpoints.Create(await sweeps.GetAsync(id, ct), links, id);

    /// <summary>Revoke a sweep's read-only links</summary>
    /// <remarks>Revokes every read-only link to the sweep.</remarks>
    public static NoContent RevokeLinks(int id, SweepLinks links) => ReadOnlyLinkEndpoints.Revoke(links, id);
}
