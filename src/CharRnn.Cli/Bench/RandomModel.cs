using CharRnn.Inference;
using CharRnn.Training;
using TorchSharp;

namespace CharRnn.Cli.Bench;

/// <summary>The benches' model: PyTorch's initial weights (seed 5) over an alphabet of <c>vocabSize</c> symbols from '!' on.</summary>
internal static class RandomModel
{
    public static (CharRnnModel Model, Checkpoint Checkpoint) Create(int hidden, int layers, int vocabSize)
    {
        torch.manual_seed(5);
        var vocabulary = new Vocabulary(Enumerable.Range(0, vocabSize).Select(i => char.ConvertFromUtf32(0x21 + i)));
        var model = new CharRnnModel(vocabSize, hidden, layers, 0.5);
        return (model, new Checkpoint(new ModelConfig(hidden, layers, 0.5, vocabSize), vocabulary, ModelWeights.Export(model), null, DateTimeOffset.UtcNow));
    }
}
