namespace CharRnn.Training.Batches;

/// <summary>
/// The notebook's <c>get_batches</c>: truncate the encoded text to whole batches, reshape it to
/// (batch, −1) and walk windows of <c>seq</c> columns. Targets are the inputs shifted by one; the last
/// target column comes from the next window, or, for the last window, from column 0 of the same row.
/// </summary>
public static class CharBatches
{
    /// <summary>Batches in one pass over <paramref name="length"/> tokens (0 when the text is shorter than one batch).</summary>
    public static int Count(int length, int batchSize, int seqLength) => TrainingOptions.Batches(length, batchSize, seqLength);

    /// <summary>Each batch as row-major (batch × seq) arrays of token ids, from window <paramref name="firstWindow"/> on (to resume mid-epoch).</summary>
    public static IEnumerable<(long[] Inputs, long[] Targets)> Enumerate(ReadOnlyMemory<int> data, int batchSize, int seqLength, int firstWindow = 0)
    {
        for (var window = firstWindow; window < Count(data.Length, batchSize, seqLength); window++)
        {
            var inputs = new long[batchSize * seqLength];
            var targets = new long[batchSize * seqLength];
            Fill(data.Span, batchSize, seqLength, window, inputs, targets);
            yield return (inputs, targets);
        }
    }

    /// <summary>
    /// Writes batch number <paramref name="window"/> into buffers the caller reuses: the trainer's batches
    /// (100 KB each for 128 × 100) would otherwise land on the large-object heap every step and swell resident memory.
    /// </summary>
    public static void Fill(ReadOnlySpan<int> data, int batchSize, int seqLength, int window, Span<long> inputs, Span<long> targets)
    {
        var rowLength = Count(data.Length, batchSize, seqLength) * seqLength; // columns of the (batch, −1) matrix
        for (var row = 0; row < batchSize; row++)
        {
            var rowStart = row * rowLength;
            for (var col = 0; col < seqLength; col++)
            {
                var x = window * seqLength + col;
                inputs[row * seqLength + col] = data[rowStart + x];
                // x + 1 past the row's end only happens in the last window's last column: wrap to column 0.
                targets[row * seqLength + col] = data[rowStart + (x + 1 < rowLength ? x + 1 : 0)];
            }
        }
    }

    /// <summary>The notebook's split (<see cref="TrainingOptions.TrainingCharacters"/>): the first part of the tokens trains, the rest validates.</summary>
    public static (ReadOnlyMemory<int> Train, ReadOnlyMemory<int> Validation) Split(int[] data, TrainingOptions options)
    {
        var trainLength = options.TrainingCharacters(data.Length);
        return (data.AsMemory(0, trainLength), data.AsMemory(trainLength));
    }
}
