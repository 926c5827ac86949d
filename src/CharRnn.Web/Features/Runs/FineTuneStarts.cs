using System.Text.Json;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Checkpoints;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Runs;

/// <summary>
/// A fine-tune's start (<see cref="TrainingOptions.InitFrom"/>): the checkpoint it names, checked before the run is
/// queued (it exists, it reads, the run keeps its shape), with the alphabet the run will have; then a copy kept beside
/// the new run, so that pruning or deleting the source loses nothing the run needs, and the run's lineage.
/// </summary>
public sealed class FineTuneStarts(IDbContextFactory<StudioDbContext> db, DataFolder folder)
{
    /// <summary>
    /// A checked start: the options with the checkpoint's shape, the checkpoint, the book of the run that wrote it (null for
    /// an imported checkpoint, or when that run is gone), and the run's alphabet size.
    /// </summary>
    public sealed record Start(TrainingOptions Options, CheckpointRecord Source, int? SourceBookId, int AlphabetSize, int CharactersAdded);

    /// <param name="given">The request's fields: a shape given there must be the checkpoint's; a shape left out becomes it.</param>
    public async Task<Result<Start>> CheckAsync(StudioDbContext context, TrainingOptions options, Book book, IReadOnlyDictionary<string, JsonElement>? given, CancellationToken ct)
    {
        var id = options.InitFrom!.Value;
        var read = Read(context, id);
        if (!read.Ok) return read.Failure!;
        var (record, source) = read.Value;
        var (layers, hidden) = (source.Config.Layers, source.Config.Hidden);
        var asked = (Layers: Given(given, "layers") ? options.Layers : layers, Hidden: Given(given, "hidden") ? options.Hidden : hidden);
        if (asked != (layers, hidden))
            return Failure.Invalid($"Checkpoint {id} is a {layers}×{hidden} model and the request asks for {asked.Layers}×{asked.Hidden}: "
                + "a fine-tune keeps the checkpoint's shape, so leave hidden and layers out or give the checkpoint's.");
        var added = GrownAlphabet.Missing(source.Vocabulary, await File.ReadAllTextAsync(folder.BookPath(book.FileName), ct)).Count;
        var sourceBook = record.RunId is { } sourceRun ? await context.Runs.Where(r => r.Id == sourceRun).Select(r => (int?)r.BookId).SingleOrDefaultAsync(ct) : null;
        return new Start(options with { Hidden = hidden, Layers = layers }, record, sourceBook, source.Vocabulary.Count + added, added);
    }

    /// <summary>The shape a fine-tune of checkpoint <paramref name="id"/> trains with (its layers and hidden units), for the New run page; null when it cannot be read.</summary>
    public async Task<(int Layers, int Hidden)?> ShapeAsync(int id, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return Read(context, id) is { Ok: true, Value.Source.Config: var config } ? (config.Layers, config.Hidden) : null;
    }

    /// <summary>Records <paramref name="run"/>'s lineage; call before it is first saved.</summary>
    public static void RecordLineage(Run run, Start start) =>
        (run.FineTunedFromCheckpointId, run.FineTunedFromRunId, run.FineTunedFromBookId, run.CharactersAdded) =
            (start.Source.Id, start.Source.RunId, start.SourceBookId, start.CharactersAdded);

    /// <summary>Copies the start beside <paramref name="run"/> (saved, so it has its id), written whole or not at all.</summary>
    public void Keep(Run run, Start start) => CopyTo(run, folder.Absolute(start.Source.RelativePath));

    /// <summary>Gives <paramref name="run"/> (saved) the copy of the start that run <paramref name="fromRunId"/> kept: a remedy of a fine-tune starts where it started.</summary>
    public void KeepCopy(int fromRunId, Run run) => CopyTo(run, folder.FineTuneStart(fromRunId));

    private void CopyTo(Run run, string start)
    {
        var target = folder.FineTuneStart(run.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(start, target + ".tmp", overwrite: true);
        File.Move(target + ".tmp", target, overwrite: true);
    }

    /// <summary>
    /// The checkpoint a fine-tune starts from where it trains: its kept copy, or for a sweep's trial (which keeps none)
    /// the checkpoint it names; null for a run from random weights.
    /// </summary>
    public Checkpoint? For(StudioDbContext context, Run run, TrainingOptions options)
    {
        if (options.InitFrom is not { } id) return null;
        var kept = folder.FineTuneStart(run.Id);
        if (File.Exists(kept)) return CheckpointFile.Read(kept);
        var read = Read(context, id);
        return read.Ok ? read.Value.Source : throw new InvalidOperationException($"{read.Failure!.Detail} This run fine-tunes it and kept no copy of it.");
    }

    /// <summary>Checkpoint <paramref name="id"/>'s row and file: the one lookup the checks, the New run page and the trainer share.</summary>
    private Result<(CheckpointRecord Record, Checkpoint Source)> Read(StudioDbContext context, int id)
    {
        if (context.Checkpoints.AsNoTracking().SingleOrDefault(c => c.Id == id) is not { } record)
            return Failure.Invalid($"There is no checkpoint {id} to fine-tune from.");
        try { return (record, CheckpointFile.Read(folder.Absolute(record.RelativePath))); }
        catch (Exception e) when (e is CheckpointFormatException or IOException) { return Failure.Invalid($"Checkpoint {id} cannot be fine-tuned: {e.Message}"); }
    }

    private static bool Given(IReadOnlyDictionary<string, JsonElement>? given, string name) =>
        given?.Any(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase) && f.Value.ValueKind != JsonValueKind.Null) == true;
}
