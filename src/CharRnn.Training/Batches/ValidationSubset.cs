using CharRnn.Inference.Sampling;

namespace CharRnn.Training.Batches;

/// <summary>
/// The validation batches an evaluation between epoch ends reads when <see cref="TrainingOptions.EvaluationBatches"/>
/// is set: a fixed subset drawn once from the run's seed, so every estimate in a run (and in a resumed run)
/// reads the same batches and the curve moves only because the model does. Epoch ends read the whole split.
/// </summary>
public static class ValidationSubset
{
    /// <summary>
    /// <paramref name="wanted"/> distinct window numbers of <paramref name="count"/>, in increasing order (the
    /// evaluation walks them in text order, carrying the hidden state as the whole-split pass does); every window
    /// when <paramref name="wanted"/> is null or covers them all.
    /// </summary>
    public static int[] Choose(int count, int? wanted, int seed)
    {
        var all = Enumerable.Range(0, count).ToArray();
        if (wanted is not { } k || k >= count) return all;
        // A partial Fisher–Yates shuffle with the platform-independent generator: the same seed picks the same batches everywhere.
        var random = new SeededRandom(seed);
        for (var i = 0; i < k; i++)
        {
            var j = i + (int)(random.NextUInt64() % (ulong)(count - i));
            (all[i], all[j]) = (all[j], all[i]);
        }
        var chosen = all[..k];
        Array.Sort(chosen);
        return chosen;
    }
}
