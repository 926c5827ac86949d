using CharRnn.Web.Data;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class PassagesApi
{
    public static IEndpointRouteBuilder MapPassagesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/passages", Create).RequireAuthorization(OwnerAccess.Policy);
        app.MapGet("/api/passages/{slug}", Get);
        return app;
    }

    public static async Task<Results<Created<PassageDto>, ProblemHttpResult>> Create(PassageRequest request, IDbContextFactory<StudioDbContext> db, PassageService passages, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Text)) return Problems.BadRequest("The passage has no text.");
        if (request.Text.Length > 200_000) return Problems.BadRequest("The passage is longer than 200,000 characters.");
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Checkpoints.FindAsync([request.CheckpointId], ct) is null) return Problems.BadRequest($"There is no checkpoint {request.CheckpointId}.");
        var passage = await passages.CreateAsync(request.CheckpointId, request.Prime ?? "", request.Length, request.Temperature, request.TopK, request.Seed, request.Text, ct);
        return TypedResults.Created($"/p/{passage.Slug}", PassageDto.From(passage));
    }

    public static async Task<Results<Ok<PassageDto>, ProblemHttpResult>> Get(string slug, IDbContextFactory<StudioDbContext> db, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Passages.SingleOrDefaultAsync(p => p.Slug == slug, ct) is { } passage
            ? TypedResults.Ok(PassageDto.From(passage))
            : Problems.NotFound($"There is no passage '{slug}'.");
    }
}
