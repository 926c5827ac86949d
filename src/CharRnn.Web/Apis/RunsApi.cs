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
        api.MapPost("/", Create).WithName("createRun").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/estimate", Estimate).WithName("estimateRun").RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/", List).WithName("listRuns").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).WithName("getRun").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/metrics", Metrics).WithName("getRunMetrics").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapPost("/{id:int}/cancel", Cancel).WithName("cancelRun").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/resume", Resume).WithName("resumeRun").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/remedy", Remedy).WithName("applyRunRemedy").RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}", Delete).WithName("deleteRun").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/links", CreateLink).WithName("createRunLink").RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}/links", RevokeLinks).WithName("revokeRunLinks").RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Queue a run</summary>
    /// <remarks>Queues a run: a book, a preset, and any training option by name; 400 with every reason when they do not fit.</remarks>
    public static async Task<Results<Created<RunDto>, ProblemHttpResult>> Create(CreateRunRequest request, RunService runs, CancellationToken ct) =>
        (await runs.CreateAsync(request, ct)).CreatedOrProblem(run => $"/api/runs/{run.Id}");

    /// <summary>Estimate a run's time</summary>
    /// <remarks>How long a run with these options would take on this server; times a few steps of the model first if it has not yet.</remarks>
    public static async Task<Results<Ok<RunEstimate>, ProblemHttpResult>> Estimate(CreateRunRequest request, RunService runs, CancellationToken ct) =>
        (await runs.EstimateAsync(request, ct)).OkOrProblem();

    /// <summary>List the runs</summary>
    /// <remarks>Every run, newest first: its options, status, progress, losses, speed, time left and health.</remarks>
    public static async Task<Ok<IReadOnlyList<RunDto>>> List(RunService runs, CancellationToken ct) => TypedResults.Ok(await runs.ListAsync(ct));

    /// <summary>Get a run</summary>
    /// <remarks>One run: its options, status, step, losses, speed, time left, health warning, and where it trains.</remarks>
    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(int id, RunService runs, CancellationToken ct) =>
        (await runs.GetAsync(id, ct)).OkOrProblem();

    /// <summary>Get a run's metrics</summary>
    /// <remarks>Every metric of a run, or a page of them: <paramref name="after"/> a step, at most <paramref name="take"/>.</remarks>
    /// <param name="after">Only the steps after this one.</param>
    /// <param name="take">At most this many steps.</param>
    public static async Task<Results<Ok<IReadOnlyList<MetricDto>>, ProblemHttpResult>> Metrics(int id, long? after, int? take, RunHistory history, CancellationToken ct) =>
        (await history.PageAsync(id, after, take, ct)).OkOrProblem();

    /// <summary>Cancel a run</summary>
    /// <remarks>Stops a running run after its step, with a checkpoint, or takes a queued one off the queue.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> Cancel(int id, RunService runs, CancellationToken ct) =>
        (await runs.CancelAsync(id, ct)).AcceptedOrProblem($"/api/runs/{id}");

    /// <summary>Resume a run</summary>
    /// <remarks>Queues a cancelled, failed or interrupted run again: it continues from its newest checkpoint with its optimizer state.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> Resume(int id, RunService runs, CancellationToken ct) =>
        (await runs.ResumeAsync(id, ct)).AcceptedOrProblem($"/api/runs/{id}");

    /// <summary>Apply a health warning's remedy</summary>
    /// <remarks>Applies the remedy of the run's health warning as a new run, linked to this one: a diverging or stuck run restarts at half the learning rate; an overfitting run resumes from its best checkpoint with more dropout, a stalled one at half the rate.</remarks>
    public static async Task<Results<Created<RunDto>, ProblemHttpResult>> Remedy(int id, RunRemedy remedy, CancellationToken ct) =>
        (await remedy.ApplyAsync(id, ct)).CreatedOrProblem(run => $"/api/runs/{run.Id}");

    /// <summary>Delete a run</summary>
    /// <remarks>Removes a run that is not training, with its metrics and checkpoint files.</remarks>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, RunService runs, CancellationToken ct) =>
        (await runs.DeleteAsync(id, ct)).NoContentOrProblem();

    /// <summary>Create a read-only link to a run</summary>
    /// <remarks>A read-only link to the run's page: whoever has it watches this run, even when reading is private.</remarks>
    public static async Task<Results<Created<ReadOnlyLinkDto>, ProblemHttpResult>> CreateLink(int id, RunService runs, RunLinks links, CancellationToken ct) =>
        ReadOnlyLinkEndpoints.Create(await runs.GetAsync(id, ct), links, id);

    /// <summary>Revoke a run's read-only links</summary>
    /// <remarks>Revokes every read-only link to the run.</remarks>
    public static NoContent RevokeLinks(int id, RunLinks links) => ReadOnlyLinkEndpoints.Revoke(links, id);
}
