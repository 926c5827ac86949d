namespace CharRnn.Web.Tests.Client;

/// <summary>The one list of checkpoints that the Generate, Inside and Compare pages choose from.</summary>
public class CheckpointChoicesTests
{
    private static CheckpointDto Checkpoint(int id, int? run, long step, double? valLoss, string? name = null) =>
        new(id, run, step, 1, 2.0, valLoss, 1000, DateTime.UnixEpoch, name);

    private static RunDto Run(int id, string name) => new(id, 1, name, RunStatus.Completed, TrainingPresets.Notebook.Options, 0, 0, 0, null, null, null, null,
        null, TrainingDevice.Cpu, TrainingPrecision.Float32, DateTime.UnixEpoch, null, null, null, null);

    private static readonly CheckpointChoices Choices = new(
        [Checkpoint(5, 2, 300, 1.9), Checkpoint(4, 2, 200, 1.7), Checkpoint(1, 1, 100, 2.5), Checkpoint(9, null, 0, null, "rnn_20_epoch"), Checkpoint(6, 2, 400, null)],
        [Run(1, "anna"), Run(2, "tolstoy 2×512")]);

    [Fact]
    public void Checkpoints_are_listed_by_run_then_step_and_labelled_with_their_runs_name()
    {
        Assert.Equal([9, 1, 4, 5, 6], Choices.All.Select(c => c.Id));
        Assert.Equal("tolstoy 2×512 · step 200 · val 1.7000", Choices.Label(4));
        Assert.Equal("tolstoy 2×512 · step 400 · val –", Choices.Label(6));
        Assert.Equal("imported: rnn_20_epoch", Choices.Label(9));
        Assert.Equal("77", Choices.Label(77));
    }

    [Theory]
    [InlineData(5, null, 5)]    // the one asked for
    [InlineData(77, null, 4)]   // not there: the best by validation loss
    [InlineData(null, 1, 1)]    // the best of a run
    [InlineData(null, 3, 4)]    // a run without checkpoints: the best overall
    public void The_checkpoint_opened_is_the_one_asked_for_else_the_best(int? asked, int? run, int chosen) =>
        Assert.Equal(chosen, Choices.Choose(asked, run));

    [Fact]
    public void With_no_checkpoints_none_is_chosen() => Assert.Equal(0, CheckpointChoices.None.Choose(3));
}
