using CharRnn.Web.Data;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs");
        api.MapPost("/", Create).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/estimate", Estimate).RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/", List).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/metrics", Metrics).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapPost("/{id:int}/cancel", Cancel).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/resume", Resume).RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}", Delete).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/links", CreateLink).RequireAuthorization(OwnerAccess.Policy);
        api.MapDelete("/{id:int}/links", RevokeLinks).RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    public static async Task<Results<Created<RunDto>, ProblemHttpResult>> Create(CreateRunRequest request, RunService runs, CancellationToken ct)
    {
        var (run, problems, bookMissing) = await runs.CreateAsync(request, ct);
        if (run is null) return bookMissing ? Problems.BadRequest(problems[0]) : Problems.BadRequest(string.Join(" ", problems));
        return TypedResults.Created($"/api/runs/{run.Id}", RunDto.From(run));
    }

    /// <summary>How long a run with these options would take on this server; times a few steps of the model first if it has not yet.</summary>
    public static async Task<Results<Ok<RunEstimate>, ProblemHttpResult>> Estimate(CreateRunRequest request, IDbContextFactory<StudioDbContext> db,
        TrainingEstimator estimator, Microsoft.Extensions.Options.IOptions<StudioOptions> studio, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([request.BookId], ct) is not { } book) return Problems.NotFound($"There is no book {request.BookId}.");
        if (request.PresetProblem is { } presetProblem) return Problems.BadRequest(presetProblem);
        var options = request.ToOptions();
        var problems = RunService.Validate(options, book, studio.Value.Limits);
        if (problems.Count > 0) return Problems.BadRequest(string.Join(" ", problems));
        return TypedResults.Ok(await estimator.EstimateAsync(options, book.Characters, book.AlphabetSize, ct));
    }

    public static async Task<Ok<List<RunDto>>> List(IDbContextFactory<StudioDbContext> db, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var runs = await context.Runs.OrderByDescending(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(runs.Select(RunDto.From).ToList());
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(int id, IDbContextFactory<StudioDbContext> db, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Runs.FindAsync([id], ct) is { } run ? TypedResults.Ok(RunDto.From(run)) : Problems.NotFound($"There is no run {id}.");
    }

    /// <summary>Every metric of a run, or a page of them: <paramref name="after"/> a step, at most <paramref name="take"/>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<MetricDto>>, ProblemHttpResult>> Metrics(int id, long? after, int? take,
        IDbContextFactory<StudioDbContext> db, RunHistory history, CancellationToken ct)
    {
        if (take is < 1) return Problems.BadRequest($"take must be at least 1; it was {take}.");
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.FindAsync([id], ct) is null) return Problems.NotFound($"There is no run {id}.");
        return TypedResults.Ok(await history.MetricsAsync(id, after, take, ct));
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> Cancel(int id, RunService runs, CancellationToken ct) =>
        await runs.CancelAsync(id, ct) is { } problem ? Problem(problem) : TypedResults.Accepted($"/api/runs/{id}");

    public static async Task<Results<Accepted, ProblemHttpResult>> Resume(int id, RunService runs, CancellationToken ct) =>
        await runs.ResumeAsync(id, ct) is { } problem ? Problem(problem) : TypedResults.Accepted($"/api/runs/{id}");

    /// <summary>Removes a run that is not training, with its metrics and checkpoint files.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, RunService runs, CancellationToken ct)
    {
        var (problem, notFound) = await runs.DeleteAsync(id, ct);
        if (problem is null) return TypedResults.NoContent();
        return notFound ? Problems.NotFound(problem) : Problems.Conflict(problem);
    }

    /// <summary>A read-only link to the run's page: whoever has it watches this run, even when reading is private.</summary>
    public static async Task<Results<Created<RunLinkDto>, ProblemHttpResult>> CreateLink(int id, IDbContextFactory<StudioDbContext> db, RunLinks links, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.FindAsync([id], ct) is null) return Problems.NotFound($"There is no run {id}.");
        var url = $"/runs/{id}?key={links.Create(id)}";
        return TypedResults.Created(url, new RunLinkDto(url));
    }

    /// <summary>Revokes every read-only link to the run.</summary>
    public static NoContent RevokeLinks(int id, RunLinks links)
    {
        links.Revoke(id);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Problem(string detail) =>
        detail.StartsWith("There is no run") ? Problems.NotFound(detail) : Problems.Conflict(detail);
}
