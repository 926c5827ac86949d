using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Checkpoints;

/// <summary>
/// Everything a checkpoint holds: the model's shape, its vocabulary, its weights named as PyTorch names them
/// (<c>lstm.weight_ih_l0</c> … <c>fc.bias</c>), and where it came from.
/// </summary>
public sealed record Checkpoint(
    ModelConfig Config,
    Vocabulary Vocabulary,
    IReadOnlyDictionary<string, TensorData> Tensors,
    TrainingInfo? Training,
    DateTimeOffset Created)
{
    /// <summary>The weight names of a model with <paramref name="layers"/> layers, in PyTorch's order.</summary>
    public static IEnumerable<string> ParameterNames(int layers)
    {
        for (var k = 0; k < layers; k++)
        {
            yield return $"lstm.weight_ih_l{k}";
            yield return $"lstm.weight_hh_l{k}";
            yield return $"lstm.bias_ih_l{k}";
            yield return $"lstm.bias_hh_l{k}";
        }
        yield return "fc.weight";
        yield return "fc.bias";
    }

    /// <summary>The shape PyTorch gives the named weight for this config.</summary>
    public static int[] ExpectedShape(string name, ModelConfig config)
    {
        int h = config.Hidden, v = config.VocabSize;
        if (name == "fc.weight") return [v, h];
        if (name == "fc.bias") return [v];
        var layer = int.Parse(name[(name.LastIndexOf('l') + 1)..]);
        if (name.StartsWith("lstm.weight_ih_")) return [4 * h, layer == 0 ? v : h];
        if (name.StartsWith("lstm.weight_hh_")) return [4 * h, h];
        return [4 * h];
    }

    /// <summary>Checks that every weight is present with the shape the config implies.</summary>
    public void Validate()
    {
        if (Config.Hidden <= 0 || Config.Layers <= 0)
            throw new CheckpointFormatException($"The config has {Config.Layers} layer(s) of {Config.Hidden} units; both must be positive.");
        if (Config.VocabSize != Vocabulary.Count)
            throw new CheckpointFormatException($"The config says {Config.VocabSize} characters but the vocabulary has {Vocabulary.Count}.");
        foreach (var name in ParameterNames(Config.Layers))
        {
            if (!Tensors.TryGetValue(name, out var tensor))
                throw new CheckpointFormatException($"The weight '{name}' is missing.");
            var expected = ExpectedShape(name, Config);
            if (!tensor.Shape.SequenceEqual(expected))
                throw new CheckpointFormatException($"The weight '{name}' has shape {tensor.ShapeText}; a {Config.Layers}×{Config.Hidden} model with {Config.VocabSize} characters needs [{string.Join(", ", expected)}].");
        }
    }
}
