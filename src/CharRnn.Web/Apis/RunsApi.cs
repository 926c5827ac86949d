using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/runs</c>: queue, estimate, list, watch the metrics of, cancel, resume and delete training runs, and share them read-only.</summary>
public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs").ProducesProblems(400, 404, 409, 503);
        api.MapPost("/", Create).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/estimate", Estimate).RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/", List).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/metrics", Metrics).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapPost("/{id:int}/cancel", Cancel).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/resume", Resume).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/remedy", Remedy).RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}", Delete).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/links", CreateLink).RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}/links", RevokeLinks).RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Queues a run: a book, a preset, and any training option by name; 400 with every reason when they do not fit.</summary>
    public static async Task<Results<Created<RunDto>, ProblemHttpResult>> Create(CreateRunRequest request, RunService runs, CancellationToken ct) =>
        (await runs.CreateAsync(request, ct)).CreatedOrProblem(run => $"/api/runs/{run.Id}");

    /// <summary>How long a run with these options would take on this server; times a few steps of the model first if it has not yet.</summary>
    public static async Task<Results<Ok<RunEstimate>, ProblemHttpResult>> Estimate(CreateRunRequest request, RunService runs, CancellationToken ct) =>
        (await runs.EstimateAsync(request, ct)).OkOrProblem();

    public static async Task<Ok<IReadOnlyList<RunDto>>> List(RunService runs, CancellationToken ct) => TypedResults.Ok(await runs.ListAsync(ct));

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(int id, RunService runs, CancellationToken ct) =>
        (await runs.GetAsync(id, ct)).OkOrProblem();

    /// <summary>Every metric of a run, or a page of them: <paramref name="after"/> a step, at most <paramref name="take"/>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<MetricDto>>, ProblemHttpResult>> Metrics(int id, long? after, int? take, RunHistory history, CancellationToken ct) =>
        (await history.PageAsync(id, after, take, ct)).OkOrProblem();

    /// <summary>Stops a running run after its step, with a checkpoint, or takes a queued one off the queue.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Cancel(int id, RunService runs, CancellationToken ct) =>
        (await runs.CancelAsync(id, ct)).AcceptedOrProblem($"/api/runs/{id}");

    /// <summary>Queues a cancelled, failed or interrupted run again: it continues from its newest checkpoint with its optimizer state.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Resume(int id, RunService runs, CancellationToken ct) =>
        (await runs.ResumeAsync(id, ct)).AcceptedOrProblem($"/api/runs/{id}");

    /// <summary>
    /// Applies the remedy of the run's health warning: a new run, linked to this one, at half the learning rate; from the
    /// best checkpoint when the run overfits, from scratch otherwise.
    /// </summary>
    public static async Task<Results<Created<RunDto>, ProblemHttpResult>> Remedy(int id, RunRemedy remedy, CancellationToken ct) =>
        (await remedy.ApplyAsync(id, ct)).CreatedOrProblem(run => $"/api/runs/{run.Id}");

    /// <summary>Removes a run that is not training, with its metrics and checkpoint files.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, RunService runs, CancellationToken ct) =>
        (await runs.DeleteAsync(id, ct)).NoContentOrProblem();

    /// <summary>A read-only link to the run's page: whoever has it watches this run, even when reading is private.</summary>
    public static async Task<Results<Created<ReadOnlyLinkDto>, ProblemHttpResult>> CreateLink(int id, RunService runs, RunLinks links, CancellationToken ct) =>
        ReadOnlyLinkEndpoints.Create(await runs.GetAsync(id, ct), links, id);

    /// <summary>Revokes every read-only link to the run.</summary>
    public static NoContent RevokeLinks(int id, RunLinks links) => ReadOnlyLinkEndpoints.Revoke(links, id);
}
