using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Loop;
using Xunit.Abstractions;
using static CharRnn.Training.Tests.TinyRun;

namespace CharRnn.Training.Tests.Loop;

/// <summary>A small model trained on the verse, fine-tuned on the verse with its full stops turned into a character it never saw.</summary>
public class FineTuneTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-finetune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The verse, each "." now "!": every other character is the source's.</summary>
    private static readonly string Exclaimed = Text.Replace('.', '!');

    private Checkpoint Source(int epochs)
    {
        var result = new Trainer(Text, Small with { Epochs = epochs }, Path.Combine(_folder, "source")).Run();
        return CheckpointFile.Read(result.BestCheckpoint!);
    }

    /// <summary>The mean surprise, in nats, of each "!" of <see cref="Exclaimed"/> after the characters before it.</summary>
    private static double NewCharacterLoss(Checkpoint checkpoint)
    {
        var engine = new LstmEngine(new LstmWeights(checkpoint));
        var ids = checkpoint.Vocabulary.Encode(Exclaimed);
        var bang = checkpoint.Vocabulary.Encode("!")[0];
        var losses = new List<double>();
        for (var i = 0; i + 1 < ids.Length; i++)
        {
            var logits = engine.Step(ids[i]);
            if (ids[i + 1] != bang) continue;
            var peak = double.NegativeInfinity;
            foreach (var x in logits) peak = Math.Max(peak, x);
            double sum = 0;
            foreach (var x in logits) sum += Math.Exp(x - peak);
            losses.Add(-(logits[bang] - peak - Math.Log(sum)));
        }
        return losses.Average();
    }

    [Fact]
    public void A_fine_tune_starts_from_the_checkpoint_and_learns_the_new_character()
    {
        var source = Source(epochs: 10);
        var grown = GrownAlphabet.For(source, Exclaimed);
        var before = NewCharacterLoss(grown);
        var trainer = Trainer.FineTune(Exclaimed, source, Small with { Epochs = 10 }, Path.Combine(_folder, "fine"));
        var losses = new List<double>();
        trainer.StepCompleted += s => losses.Add(s.TrainLoss);

        var result = trainer.Run();

        var after = NewCharacterLoss(CheckpointFile.Read(result.BestCheckpoint!));
        output.WriteLine($"first step's loss {losses[0]:F3}; '!' {before:F3} nats before, {after:F3} after");
        Assert.Equal(grown.Vocabulary.Tokens, trainer.Vocabulary.Tokens);
        // From the source's weights: the verse it knows costs far less than a fresh model's guess over 29 characters (ln 29 ≈ 3.4).
        Assert.InRange(losses[0], 0, 2.5);
        Assert.InRange(after, 0, before - 1);
        Assert.Equal(grown.Vocabulary.Tokens, CheckpointFile.Read(result.BestCheckpoint!).Vocabulary.Tokens);
    }

    [Fact]
    public void A_fine_tune_that_asks_for_another_shape_is_refused_naming_both()
    {
        var source = Source(epochs: 1);

        var e = Assert.Throws<ArgumentException>(() => Trainer.FineTune(Exclaimed, source, Small with { Hidden = 16, Layers = 1 }, Path.Combine(_folder, "fine")));

        Assert.StartsWith("The checkpoint is a 2×32 model and the options ask for 1×16: a fine-tune keeps the checkpoint's shape", e.Message);
    }
}
