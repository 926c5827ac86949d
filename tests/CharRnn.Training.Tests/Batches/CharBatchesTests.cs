using CharRnn.Training.Batches;

namespace CharRnn.Training.Tests;

public class CharBatchesTests
{
    // 0..25 with batch 2 × seq 3: 26 // 6 = 4 batches, truncated to 24 tokens, rows 0..11 and 12..23.
    private static readonly int[] Data = Enumerable.Range(0, 26).ToArray();

    private static List<(long[] Inputs, long[] Targets)> Batches() => CharBatches.Enumerate(Data, batchSize: 2, seqLength: 3).ToList();

    [Fact]
    public void The_text_is_truncated_to_whole_batches_and_reshaped_to_batch_rows()
    {
        var batches = Batches();
        Assert.Equal(4, batches.Count);
        Assert.Equal([0, 1, 2, 12, 13, 14], batches[0].Inputs);
        Assert.Equal([9, 10, 11, 21, 22, 23], batches[3].Inputs);
        Assert.DoesNotContain(batches, b => b.Inputs.Contains(24) || b.Targets.Contains(24));
    }

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one()
    {
        var (inputs, targets) = Batches()[1];
        Assert.Equal([3, 4, 5, 15, 16, 17], inputs);
        Assert.Equal(inputs[1], targets[0]);
        Assert.Equal(inputs[2], targets[1]);
        Assert.Equal(inputs[4], targets[3]);
    }

    [Fact]
    public void The_last_target_column_comes_from_the_next_window()
    {
        var (_, targets) = Batches()[1];
        Assert.Equal([4, 5, 6, 16, 17, 18], targets);
    }

    [Fact]
    public void The_last_window_wraps_to_column_zero_of_its_own_row()
    {
        var (_, targets) = Batches()[3];
        Assert.Equal([10, 11, 0, 22, 23, 12], targets);
    }

    [Fact]
    public void Enumeration_can_start_at_a_later_window_to_resume()
    {
        Assert.Equal(Batches().Skip(2).Select(b => b.Targets), CharBatches.Enumerate(Data, 2, 3, firstWindow: 2).Select(b => b.Targets));
    }

    [Fact]
    public void A_text_shorter_than_one_batch_gives_no_batch()
    {
        Assert.Equal(0, CharBatches.Count(5, 2, 3));
        Assert.Empty(CharBatches.Enumerate(new int[5], 2, 3));
    }

    [Fact]
    public void The_validation_split_is_the_last_fraction_as_the_notebook_computes_it()
    {
        var (train, validation) = CharBatches.Split(Enumerable.Range(0, 1_985_223).ToArray(), new TrainingOptions { ValidationFraction = 0.1 });
        Assert.Equal(1_786_700, train.Length); // int(1985223 * 0.9)
        Assert.Equal(1_786_700, validation.Span[0]);
        Assert.Equal(139, CharBatches.Count(train.Length, 128, 100));
        Assert.Equal(15, CharBatches.Count(validation.Length, 128, 100));
    }
}
