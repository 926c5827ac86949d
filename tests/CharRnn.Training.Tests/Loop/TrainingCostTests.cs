using CharRnn.Training.Loop;

namespace CharRnn.Training.Tests;

public class TrainingCostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-cost-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string Text = TinyRun.Text; // 10 steps an epoch

    private static readonly TrainingOptions Small = new()
    {
        Hidden = 16, Layers = 1, Dropout = 0, BatchSize = 8, SequenceLength = 25, Epochs = 2, EvaluateEvery = 3, Seed = 1, Threads = 1,
    };

    [Theory]
    [InlineData(3, 2, null)]   // every 3rd step and each epoch's end: 3 6 9 10 12 15 18 20
    [InlineData(5, 2, null)]   // 5 and 10 coincide with epoch ends: 5 10 15 20
    [InlineData(4, 3, 13L)]    // a step limit adds the last step: 4 8 10 12 13
    [InlineData(100, 1, null)] // only the epoch's end
    public void Evaluations_counts_what_the_trainer_evaluates(int evaluateEvery, int epochs, long? maxSteps)
    {
        var options = Small with { EvaluateEvery = evaluateEvery, Epochs = epochs, MaxSteps = maxSteps };
        var trainer = new Trainer(Text, options, _folder);
        var evaluated = 0;
        trainer.Evaluated += _ => evaluated++;

        trainer.Run();

        Assert.Equal(evaluated, TrainingCost.Evaluations(options, Text.Length));
    }

    [Fact]
    public void Validation_batches_are_those_of_the_validation_split()
    {
        // 2,250 characters, 10 % held out: 225, so 1 batch of 8 × 25 and 25 characters left over.
        Assert.Equal(1, Small.ValidationBatches(Text.Length));
        Assert.Equal(2, (Small with { SequenceLength = 12 }).ValidationBatches(Text.Length));
    }

    [Fact]
    public void The_estimate_adds_the_steps_and_every_evaluations_validation_pass()
    {
        var costs = new StepCosts(TrainStep: 2, ValidationBatch: 0.5, FirstStepExtra: 3);
        var options = Small with { SequenceLength = 12 }; // 2,025 / 96 = 21 steps an epoch, 42 in all; 2 validation batches
        var evaluations = TrainingCost.Evaluations(options, Text.Length);

        var estimate = TrainingCost.Estimate(options, Text.Length, costs);

        Assert.Equal(42 * 2 + 3 + evaluations * 2 * 0.5, estimate.TotalSeconds, 6);
    }

    [Fact]
    public void Timing_a_shape_runs_real_steps_and_reports_their_costs()
    {
        var costs = TrainingCost.Measure(Small with { Hidden = 32, Layers = 2 }, vocabularySize: 27, threads: 1);

        Assert.InRange(costs.TrainStep, 1e-6, 10);
        Assert.InRange(costs.ValidationBatch, 1e-6, 10);
        Assert.True(costs.FirstStepExtra >= 0);
    }
}
