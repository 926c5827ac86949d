using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Sampling;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;

namespace CharRnn.Training.Tests;

/// <summary>Evaluations between epoch ends on a seeded subset of validation batches; the whole split at epoch ends.</summary>
public class SubsetEvaluationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-subset-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Varied words, so that validation batches differ in loss: 9,000 characters, 30 % held out = 13 batches of 8 × 25.</summary>
    private static readonly string Text = VariedText(9_000);

    private static readonly TrainingOptions Options = new()
    {
        Hidden = 16, Layers = 1, Dropout = 0.2, LearningRate = 0.01, BatchSize = 8, SequenceLength = 25, Epochs = 2,
        ValidationFraction = 0.3, EvaluateEvery = 5, EvaluationBatches = 3, Seed = 7, Threads = 1,
    };

    [Fact]
    public void The_subset_is_a_fixed_sorted_choice_for_a_seed()
    {
        var chosen = ValidationSubset.Choose(40, 5, seed: 7);

        Assert.Equal(5, chosen.Distinct().Count());
        Assert.All(chosen, w => Assert.InRange(w, 0, 39));
        Assert.Equal(chosen.Order(), chosen);
        Assert.Equal(chosen, ValidationSubset.Choose(40, 5, seed: 7));
        Assert.NotEqual(chosen, ValidationSubset.Choose(40, 5, seed: 8));
        Assert.Equal(Enumerable.Range(0, 4), ValidationSubset.Choose(4, 5, seed: 7)); // more than there are: all of them
        Assert.Equal(Enumerable.Range(0, 4), ValidationSubset.Choose(4, null, seed: 7));
    }

    [Fact]
    public void Estimates_repeat_for_a_seed_and_epoch_ends_match_a_run_that_reads_the_whole_split_every_time()
    {
        var subset = Train(Options, "subset");
        var again = Train(Options, "again");
        var whole = Train(Options with { EvaluationBatches = null }, "whole");

        // 31 steps an epoch: every 5th step estimates, steps 31 and 62 (the epoch ends) read the whole split.
        Assert.Equal(new long[] { 5, 10, 15, 20, 25, 30, 31, 35, 40, 45, 50, 55, 60, 62 }, subset.Evaluations.Select(e => e.Step));
        Assert.Equal(new long[] { 31, 62 }, subset.Evaluations.Where(e => e.WholeSplit).Select(e => e.Step));
        Assert.Equal(subset.Evaluations.Select(e => (e.Step, e.ValLoss, e.WholeSplit)), again.Evaluations.Select(e => (e.Step, e.ValLoss, e.WholeSplit)));

        // Evaluating fewer batches changes nothing in training, so the epoch-end figures are the whole-split run's, bit for bit.
        Assert.Equal(whole.TrainLosses, subset.TrainLosses);
        Assert.All(whole.Evaluations, e => Assert.True(e.WholeSplit));
        Assert.Equal(whole.Evaluations.Where(e => e.Step is 31 or 62).Select(e => e.ValLoss), subset.Evaluations.Where(e => e.WholeSplit).Select(e => e.ValLoss));
        // …and between epoch ends the estimates are other numbers than the whole split's.
        var estimates = subset.Evaluations.Where(e => !e.WholeSplit).ToList();
        Assert.Contains(estimates, e => e.ValLoss != whole.Evaluations.Single(w => w.Step == e.Step).ValLoss);
    }

    [Fact]
    public void Only_whole_split_figures_choose_the_best_checkpoint()
    {
        var run = Train(Options, "best");

        // Checkpoints written at an estimate carry no validation loss, so nothing downstream can rank them by it.
        Assert.All(run.Saved.Where(c => c.Step % 31 != 0), c => Assert.Null(c.ValLoss));
        Assert.All(run.Saved.Where(c => c.Step % 31 == 0), c => Assert.NotNull(c.ValLoss));
        var bestWhole = run.Evaluations.Where(e => e.WholeSplit).Min(e => e.ValLoss);
        Assert.Equal(bestWhole, run.Result.BestValLoss);
        Assert.Equal(bestWhole, CheckpointFile.Read(run.Result.BestCheckpoint!).Training!.ValLoss);
        Assert.All(run.Saved.Where(c => c.IsBest), c => Assert.Equal(0, c.Step % 31));
    }

    [Fact]
    public void A_subset_of_zero_batches_is_refused()
    {
        var problems = (Options with { EvaluationBatches = 0 }).Problems(Text.Length);
        Assert.Contains(problems, p => p.StartsWith("Validation batches between epoch ends must be at least 1"));
    }

    [Fact]
    public void The_estimate_counts_subset_batches_between_epoch_ends_and_the_whole_split_at_them()
    {
        var costs = new StepCosts(TrainStep: 1, ValidationBatch: 0.5, FirstStepExtra: 0);
        // 62 steps, 14 evaluations: 2 read all 13 batches, 12 read 3.
        Assert.Equal(62 + (2 * 13 + 12 * 3) * 0.5, TrainingCost.Estimate(Options, Text.Length, costs).TotalSeconds, 6);
        Assert.Equal(62 + 14 * 13 * 0.5, TrainingCost.Estimate(Options with { EvaluationBatches = null }, Text.Length, costs).TotalSeconds, 6);
    }

    private sealed record Outcome(List<Evaluation> Evaluations, List<double> TrainLosses, List<SavedCheckpoint> Saved, TrainingResult Result);

    private Outcome Train(TrainingOptions options, string name)
    {
        var trainer = new Trainer(Text, options, Path.Combine(_folder, name));
        var (evaluations, losses, saved) = (new List<Evaluation>(), new List<double>(), new List<SavedCheckpoint>());
        trainer.Evaluated += evaluations.Add;
        trainer.StepCompleted += s => losses.Add(s.TrainLoss);
        trainer.CheckpointSaved += saved.Add;
        var result = trainer.Run();
        return new Outcome(evaluations, losses, saved, result);
    }

    private static string VariedText(int length)
    {
        string[] words = ["anna", "vronsky", "levin", "kitty", "train", "snow", "moscow", "field", "said", "the", "and", "she", "he", "was", "not"];
        var random = new SeededRandom(11);
        var text = new System.Text.StringBuilder();
        while (text.Length < length) text.Append(words[random.NextUInt64() % (ulong)words.Length]).Append(random.NextDouble() < 0.1 ? ".\n" : " ");
        return text.ToString(0, length);
    }
}
