using System.Text;
using CharRnn.Inference;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>
/// Bits per character of a checkpoint on a held-out passage, from the inference engine (<see cref="BitsPerCharacter"/>):
/// by default the start of its book's validation split, which the run never trained on, so checkpoints compare on the
/// same text rather than on sampling luck.
/// </summary>
public sealed class CheckpointScoring(IDbContextFactory<StudioDbContext> db, DataFolder folder, SamplingService sampling)
{
    /// <summary>Characters of the validation split scored by default: enough for a stable figure, a fraction of a second.</summary>
    public const int DefaultCharacters = 3000;

    /// <summary>Longest text a caller may send to be scored.</summary>
    public const int MaxCharacters = 20_000;

    /// <param name="Status">The HTTP status that fits a problem: 400, 404 (no such checkpoint or file) or 409 (a damaged file).</param>
    public sealed record Scored(BitsResult? Result, string? Text, string? Problem, int Status);

    public async Task<Scored> ScoreAsync(int checkpointId, string? text, CancellationToken ct = default)
    {
        LstmWeights? weights;
        try { weights = await sampling.WeightsAsync(checkpointId, ct); }
        catch (CheckpointUnavailableException e) { return new(null, null, e.Message, e.StatusCode); }
        if (weights is null) return new(null, null, $"There is no checkpoint {checkpointId}.", 404);
        if (text is { Length: > MaxCharacters }) return new(null, null, $"The text is longer than {MaxCharacters:N0} characters.", 400);
        text ??= await HeldOutTextAsync(checkpointId, ct);
        if (text is null) return new(null, null, "This checkpoint was imported, so it has no book to take a held-out passage from: send a text (?text=…).", 400);
        try
        {
            var model = new LstmEngine(weights);
            return new(BitsPerCharacter.Measure(model, text), text, null, 200);
        }
        catch (ArgumentException e) { return new(null, text, e.Message, 400); }
    }

    /// <summary>The first <see cref="DefaultCharacters"/> characters of the validation split of the checkpoint's book (null for an imported one).</summary>
    public async Task<string?> HeldOutTextAsync(int checkpointId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var record = await context.Checkpoints.FindAsync([checkpointId], ct);
        if (record?.RunId is not { } runId || await context.Runs.FindAsync([runId], ct) is not { } run) return null;
        if (await context.Books.FindAsync([run.BookId], ct) is not { } book) return null;
        var runes = (await File.ReadAllTextAsync(folder.BookPath(book.FileName), ct)).EnumerateRunes().ToArray();
        // The trainer's split: the first (1 − fraction) of the tokens train, the rest validate.
        var trainLength = (int)(runes.Length * (1 - RunOptionsJson.Read(run.OptionsJson).ValidationFraction));
        var text = new StringBuilder();
        foreach (var rune in runes.AsSpan(trainLength, Math.Min(DefaultCharacters, runes.Length - trainLength))) text.Append(rune.ToString());
        return text.ToString();
    }
}
