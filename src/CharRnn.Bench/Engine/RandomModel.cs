using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Model;
using TorchSharp;

namespace CharRnn.Bench.Engine;

/// <summary>The benches' model: PyTorch's initial weights (seed 5, or another) over an alphabet of <c>vocabSize</c> symbols from '!' on, or a given one.</summary>
internal static class RandomModel
{
    public static (CharRnnModel Model, Checkpoint Checkpoint) Create(int hidden, int layers, int vocabSize, int seed = 5) =>
        Create(hidden, layers, new Vocabulary(Enumerable.Range(0, vocabSize).Select(i => char.ConvertFromUtf32(0x21 + i))), seed);

    /// <summary>The same over a given alphabet (the web benches' prime must be in it).</summary>
    public static (CharRnnModel Model, Checkpoint Checkpoint) Create(int hidden, int layers, Vocabulary vocabulary, int seed = 5)
    {
        torch.manual_seed(seed);
        var model = new CharRnnModel(vocabulary.Count, hidden, layers, 0.5);
        return (model, new Checkpoint(new ModelConfig(hidden, layers, 0.5, vocabulary.Count), vocabulary, ModelWeights.Export(model), null, DateTimeOffset.UtcNow));
    }
}
