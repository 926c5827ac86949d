using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Training.Tests;

/// <summary>The inference engine (plain C#) must compute what the TorchSharp model computes.</summary>
public class ModelParityTests
{
    internal static Vocabulary Alphabet(int size) => new(Enumerable.Range(0, size).Select(i => char.ConvertFromUtf32(0x20 + i)));

    /// <summary>Logits of the TorchSharp model for a whole sequence at once, in eval mode (no dropout).</summary>
    internal static float[,] TorchLogits(CharRnnModel model, int[] tokens)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length]);
        var (logits, _) = model.call(x, model.InitialState(1, CPU));
        var values = logits.data<float>().ToArray();
        var result = new float[tokens.Length, model.VocabSize];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    internal static double MaxDifference(float[,] torchLogits, LstmEngine engine, int[] tokens)
    {
        var worst = 0.0;
        for (var t = 0; t < tokens.Length; t++)
        {
            var logits = engine.Step(tokens[t]);
            for (var v = 0; v < logits.Length; v++) worst = Math.Max(worst, Math.Abs(logits[v] - torchLogits[t, v]));
        }
        return worst;
    }

    [Fact]
    public void Engine_logits_equal_the_torch_models_within_1e_4_over_300_steps_of_a_2x512_model()
    {
        torch.manual_seed(7);
        var vocabulary = Alphabet(83);
        using var model = new CharRnnModel(vocabulary.Count, hidden: 512, layers: 2, dropoutRate: 0.5);
        var tokens = Enumerable.Range(0, 300).Select(i => (i * 31 + i / 7) % vocabulary.Count).ToArray();

        var checkpoint = new Checkpoint(new ModelConfig(512, 2, 0.5, vocabulary.Count), vocabulary, ModelWeights.Export(model), null, DateTimeOffset.UtcNow);
        var engine = new LstmEngine(new LstmWeights(checkpoint));

        Assert.InRange(MaxDifference(TorchLogits(model, tokens), engine, tokens), 0, 1e-4);
    }

    [Fact]
    public void The_models_weights_carry_pytorchs_names_and_shapes()
    {
        using var model = new CharRnnModel(vocabSize: 10, hidden: 6, layers: 2, dropoutRate: 0.5);
        var weights = ModelWeights.Export(model);
        var config = new ModelConfig(6, 2, 0.5, 10);
        Assert.Equal(Checkpoint.ParameterNames(2).Order(), weights.Keys.Order());
        foreach (var (name, tensor) in weights) Assert.Equal(Checkpoint.ExpectedShape(name, config), tensor.Shape);
    }

    [Fact]
    public void Weights_imported_into_a_fresh_model_reproduce_its_logits()
    {
        torch.manual_seed(3);
        using var original = new CharRnnModel(12, 16, 2, 0.2);
        torch.manual_seed(4);
        using var copy = new CharRnnModel(12, 16, 2, 0.2);
        int[] tokens = [1, 5, 7, 2, 11, 0];
        Assert.NotEqual(TorchLogits(original, tokens)[5, 0], TorchLogits(copy, tokens)[5, 0]);

        ModelWeights.Import(copy, ModelWeights.Export(original));
        Assert.Equal(TorchLogits(original, tokens), TorchLogits(copy, tokens));
    }

    [Fact]
    public void Bits_per_character_from_the_engine_equal_torchs_cross_entropy_within_1e_3()
    {
        torch.manual_seed(11);
        var vocabulary = Vocabulary.FromText(Corpus.AnnaText[..20_000]);
        using var model = new CharRnnModel(vocabulary.Count, hidden: 128, layers: 2, dropoutRate: 0.5);
        var text = Corpus.AnnaText[..3000];
        var tokens = vocabulary.Encode(text);

        double torchBits;
        model.eval();
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            var x = tensor(tokens[..^1].Select(t => (long)t).ToArray(), [1, tokens.Length - 1]);
            var y = tensor(tokens[1..].Select(t => (long)t).ToArray());
            var (logits, _) = model.call(x, model.InitialState(1, CPU));
            torchBits = nn.functional.cross_entropy(logits, y).item<float>() / Math.Log(2);
        }
        var checkpoint = new Checkpoint(new ModelConfig(128, 2, 0.5, vocabulary.Count), vocabulary, ModelWeights.Export(model), null, DateTimeOffset.UtcNow);

        var engine = BitsPerCharacter.Measure(new LstmEngine(new LstmWeights(checkpoint)), text);

        Assert.Equal(2999, engine.Characters);
        Assert.InRange(engine.BitsPerChar - torchBits, -1e-3, 1e-3);
    }
}
