using CharRnn.Training.Batches;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Runs;

/// <summary>
/// The other books a run is also evaluated on (<see cref="CreateRunRequest.AlsoEvaluateOn"/>): checked when the run is
/// asked for (each exists, is not the run's own book, and its validation split holds a batch), chosen by default for a
/// fine-tune (the book it came from), and read where it trains, in its alphabet, with the characters read past counted.
/// </summary>
public static class EvaluationBooks
{
    /// <summary>Most other books a run is evaluated on: each one's whole split is read at every whole-split evaluation.</summary>
    public const int Most = 4;

    /// <summary>
    /// The books <paramref name="asked"/> names (null: for a fine-tune, <paramref name="sourceBookId"/>, the book of the run
    /// it starts from, when that is another book and still exists; otherwise none), or why they cannot be used.
    /// </summary>
    public static async Task<Result<IReadOnlyList<EvaluationBook>>> CheckAsync(StudioDbContext context, IReadOnlyList<int>? asked, Book book,
        TrainingOptions options, int? sourceBookId, CancellationToken ct)
    {
        if (asked is null)
        {
            var fallback = sourceBookId is { } id && id != book.Id ? await context.Books.FindAsync([id], ct) : null;
            return Result<IReadOnlyList<EvaluationBook>>.Success(fallback is null ? [] : [new EvaluationBook(fallback.Id, fallback.Name)]);
        }
        var ids = asked.Distinct().ToList();
        if (ids.Count > Most) return Failure.Invalid($"alsoEvaluateOn names {ids.Count} books; a run is evaluated on at most {Most} others.");
        if (ids.Contains(book.Id)) return Failure.Invalid($"alsoEvaluateOn names book {book.Id}, the run's own book: its validation loss is the run's.");
        var found = await context.Books.Where(b => ids.Contains(b.Id)).ToDictionaryAsync(b => b.Id, ct);
        var problems = ids.Where(id => !found.ContainsKey(id)).Select(id => $"There is no book {id} to also evaluate on.").ToList();
        problems.AddRange(ids.Where(found.ContainsKey).Select(id => found[id]).Where(b => options.ValidationBatches(b.Characters) == 0)
            .Select(b => $"'{b.Name}' (book {b.Id}) is too short to evaluate on: its validation split ({options.ValidationFraction:P0}) is "
                + $"{b.Characters - options.TrainingCharacters(b.Characters):N0} characters, less than one batch of {options.BatchSize} × {options.SequenceLength}."));
        if (problems.Count > 0) return Failure.Invalid(problems);
        return Result<IReadOnlyList<EvaluationBook>>.Success(ids.Select(id => new EvaluationBook(id, found[id].Name)).ToList());
    }

    /// <summary>
    /// The validation splits of the run's other books that still exist, in the trainer's alphabet, for
    /// <see cref="Training.Loop.Trainer.AlsoEvaluateOn"/>; each book's count of characters read past is written on the run.
    /// A book deleted since keeps its curve so far and is no longer read.
    /// </summary>
    public static IReadOnlyList<OtherBookSplit> Splits(StudioDbContext context, DataFolder folder, Run run, Inference.Tokens.Vocabulary vocabulary, TrainingOptions options)
    {
        var books = run.AlsoEvaluatedOn;
        var ids = books.Select(b => b.BookId).ToList();
        var files = context.Books.Where(b => ids.Contains(b.Id)).ToDictionary(b => b.Id, b => b.FileName);
        var splits = books.Where(b => files.ContainsKey(b.BookId))
            .Select(b => OtherBookSplit.Of(b.BookId, File.ReadAllText(folder.BookPath(files[b.BookId])), vocabulary, options)).ToList();
        run.AlsoEvaluatedOn = books.Select(b => splits.FirstOrDefault(s => s.Id == b.BookId) is { } split ? b with { CharactersReadPast = split.ReadPast } : b).ToList();
        return splits;
    }
}
