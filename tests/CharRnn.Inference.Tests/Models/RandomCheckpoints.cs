using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

/// <summary>Checkpoints with random weights drawn as PyTorch initialises an LSTM: uniform in ±1/√hidden.</summary>
internal static class RandomCheckpoints
{
    public static Checkpoint Create(string alphabet, int hidden, int layers, int seed = 1)
    {
        var vocabulary = Vocabulary.FromText(alphabet);
        var config = new ModelConfig(hidden, layers, 0.5, vocabulary.Count);
        var random = new SeededRandom(seed);
        var bound = 1 / Math.Sqrt(hidden);
        var tensors = Checkpoint.ParameterNames(layers).ToDictionary(name => name, name =>
        {
            var shape = Checkpoint.ExpectedShape(name, config);
            var values = new float[TensorData.ElementCount(shape)];
            for (var i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
            return new TensorData(shape, values);
        });
        return new Checkpoint(config, vocabulary, tensors, new TrainingInfo("run-1", 42, 1, 2.5, 2.7, "abc", null), DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
    }
}
