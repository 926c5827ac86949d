using CharRnn.Inference.Tokens;

namespace CharRnn.Training.Batches;

/// <summary>
/// Another book's validation split, for a run that is also evaluated on it (<see cref="Loop.Trainer.AlsoEvaluateOn"/>):
/// the last <see cref="TrainingOptions.ValidationFraction"/> of its characters, cut where a run on that book would cut
/// it, in the run's alphabet. Characters the model lacks are read past as Inside reads them: left out, so the state
/// carries over them and nothing is asked to predict them; <see cref="ReadPast"/> counts them.
/// </summary>
public sealed class OtherBookSplit
{
    private OtherBookSplit(int id, int[] validation, int readPast) => (Id, Validation, ReadPast) = (id, validation, readPast);

    /// <summary>The caller's name for the book (the web app's book id).</summary>
    public int Id { get; }

    /// <summary>The split's tokens, the characters read past left out.</summary>
    public ReadOnlyMemory<int> Validation { get; }

    /// <summary>Characters of the split that the model lacks.</summary>
    public int ReadPast { get; }

    /// <summary><paramref name="text"/>'s validation split in <paramref name="vocabulary"/>, the run's alphabet.</summary>
    /// <exception cref="ArgumentException">The split, once read past, is shorter than one of <paramref name="options"/>' batches.</exception>
    public static OtherBookSplit Of(int id, string text, Vocabulary vocabulary, TrainingOptions options)
    {
        var ids = vocabulary.Encode(text, UnknownCharacters.ReadPast);
        var split = ids.AsSpan(options.TrainingCharacters(ids.Length));
        var kept = new List<int>(split.Length);
        foreach (var token in split) if (token != Vocabulary.ReadPast) kept.Add(token);
        var batches = CharBatches.Count(kept.Count, options.BatchSize, options.SequenceLength);
        if (batches == 0)
            throw new ArgumentException($"Book {id}'s validation split holds {kept.Count:N0} characters the model can read, fewer than one batch of "
                + $"{options.BatchSize} × {options.SequenceLength}, so the run cannot also be evaluated on it.", nameof(text));
        return new OtherBookSplit(id, kept.ToArray(), split.Length - kept.Count);
    }

    /// <summary>Every window of the split, for a whole-split evaluation with <paramref name="options"/>' batches.</summary>
    public int[] Windows(TrainingOptions options) =>
        Enumerable.Range(0, CharBatches.Count(Validation.Length, options.BatchSize, options.SequenceLength)).ToArray();
}
