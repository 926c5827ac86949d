using System.Text;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Checkpoints;

/// <summary>
/// Bits per character of a checkpoint on a held-out passage, from the inference engine (<see cref="BitsPerCharacter"/>):
/// by default the start of its book's validation split, which the run never trained on, so checkpoints compare on the
/// same text rather than on sampling luck.
/// </summary>
public sealed class CheckpointScoring(IDbContextFactory<StudioDbContext> db, DataFolder folder, CheckpointWeights weights, IOptions<StudioOptions> options)
{
    /// <summary>Characters of the validation split scored by default: enough for a stable figure, a fraction of a second.</summary>
    public const int DefaultCharacters = 3000;

    /// <summary>Longest text a caller may send to be scored.</summary>
    public const int MaxCharacters = 20_000;

    /// <summary>
    /// A text sent to be scored (<c>POST …/score</c>, Compare's pasted text): within the Inside character limit, and
    /// characters the model lacks read past and counted, as Inside reads them.
    /// </summary>
    public async Task<Result<BitsResult>> ScoreTextAsync(int checkpointId, string text, CancellationToken ct = default)
    {
        var limit = options.Value.Limits.MaxInsideCharacters;
        if (text.Length > limit)
            return Failure.Invalid($"The text is {text.Length:N0} characters; the limit is {limit:N0} ({StudioLimits.Raise(nameof(StudioLimits.MaxInsideCharacters))}).");
        return await ScoreAsync(checkpointId, text, ct, UnknownCharacters.ReadPast);
    }

    /// <summary>The checkpoint's bits per character on <paramref name="text"/>, or by default on its book's held-out passage.</summary>
    /// <param name="unknown">Characters the model lacks: refused, naming them (the default), or read past.</param>
    public async Task<Result<BitsResult>> ScoreAsync(int checkpointId, string? text, CancellationToken ct = default, UnknownCharacters unknown = UnknownCharacters.Refuse)
    {
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        if (text is { Length: > MaxCharacters }) return Failure.Invalid($"The text is longer than {MaxCharacters:N0} characters.");
        text ??= await HeldOutTextAsync(checkpointId, ct);
        if (text is null) return Failure.Invalid("This checkpoint was imported, so it has no book to take a held-out passage from: send a text (?text=…).");
        try { return BitsPerCharacter.Measure(new LstmEngine(prepared.Value), text, unknown: unknown); }
        catch (ArgumentException e) { return Failure.Invalid(e.Message); }
    }

    /// <summary>The first <paramref name="characters"/> characters (<see cref="DefaultCharacters"/> by default) of the validation split of the checkpoint's book (null for an imported one).</summary>
    public async Task<string?> HeldOutTextAsync(int checkpointId, CancellationToken ct = default, int characters = DefaultCharacters)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var record = await context.Checkpoints.FindAsync([checkpointId], ct);
        if (record?.RunId is not { } runId || await context.Runs.FindAsync([runId], ct) is not { } run) return null;
        if (await context.Books.FindAsync([run.BookId], ct) is not { } book) return null;
        var runes = (await File.ReadAllTextAsync(folder.BookPath(book.FileName), ct)).EnumerateRunes().ToArray();
        var trainLength = run.Options.TrainingCharacters(runes.Length);
        var text = new StringBuilder();
        foreach (var rune in runes.AsSpan(trainLength, Math.Min(characters, runes.Length - trainLength))) text.Append(rune.ToString());
        return text.ToString();
    }
}
