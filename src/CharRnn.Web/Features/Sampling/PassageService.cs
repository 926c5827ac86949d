using System.Security.Cryptography;
using CharRnn.Inference.Sampling;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Sampling;

/// <summary>Keeps generated passages for sharing at /p/{slug}, with everything needed to draw them again.</summary>
public sealed class PassageService(IDbContextFactory<StudioDbContext> db)
{
    /// <summary>The longest passage kept.</summary>
    public const int MaxCharacters = 200_000;

    // No 0/o, 1/l: slugs are read aloud and typed.
    private const string SlugAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public async Task<Result<PassageDto>> CreateAsync(PassageRequest request, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(request.Text)) return Failure.Invalid("The passage has no text.");
        if (request.Text.Length > MaxCharacters) return Failure.Invalid($"The passage is longer than {MaxCharacters:N0} characters.");
        // The settings must be ones a passage can be drawn with, or Generate again could not reproduce it.
        var settings = new SampleOptions(request.Prime ?? "", request.Length, request.Temperature, request.TopK, request.Seed, request.TopP, request.Stop, request.Beam);
        if (settings.Problems(vocabulary: null) is { Count: > 0 } problems) return Failure.Invalid(problems);
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Checkpoints.FindAsync([request.CheckpointId], ct) is null) return Failure.Invalid($"There is no checkpoint {request.CheckpointId}.");
        var passage = new Passage
        {
            Slug = RandomNumberGenerator.GetString(SlugAlphabet, 10),
            CheckpointId = request.CheckpointId, Prime = request.Prime ?? "", Length = request.Length, Temperature = request.Temperature,
            TopK = request.TopK, Seed = request.Seed, Text = request.Text, CreatedAt = DateTime.UtcNow, TopP = request.TopP, Stop = request.Stop ?? [], Beam = request.Beam,
        };
        context.Passages.Add(passage);
        await context.SaveChangesAsync(ct);
        return passage.ToDto();
    }

    /// <summary>A passage with its checkpoint, run and book, for its page; null when there is no such passage.</summary>
    public async Task<SharedPassage?> SharedAsync(string slug, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Passages.SingleOrDefaultAsync(p => p.Slug == slug, ct) is not { } passage) return null;
        var checkpoint = await context.Checkpoints.FindAsync([passage.CheckpointId], ct);
        var run = checkpoint?.RunId is { } runId ? await context.Runs.FindAsync([runId], ct) : null;
        var book = run is null ? null : await context.Books.FindAsync([run.BookId], ct);
        return new SharedPassage(passage.ToDto(), checkpoint?.ToDto(), run?.ToDto(), book?.ToDto());
    }

    public async Task<Result<PassageDto>> GetAsync(string slug, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Passages.SingleOrDefaultAsync(p => p.Slug == slug, ct) is { } passage ? passage.ToDto() : Failure.NotFound($"There is no passage '{slug}'.");
    }
}
