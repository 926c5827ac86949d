using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Training.Model;

/// <summary>Moves weights between a <see cref="CharRnnModel"/> and the tensors of a <see cref="Checkpoint"/>.</summary>
public static class ModelWeights
{
    public static Dictionary<string, TensorData> Export(CharRnnModel model)
    {
        var result = new Dictionary<string, TensorData>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var cpu = parameter.detach().cpu().contiguous();
            result[name] = new TensorData(cpu.shape.Select(d => (int)d).ToArray(), cpu.data<float>().ToArray());
        }
        return result;
    }

    public static void Import(CharRnnModel model, IReadOnlyDictionary<string, TensorData> tensors)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!tensors.TryGetValue(name, out var data))
                throw new CheckpointFormatException($"The weight '{name}' is missing.");
            if (!data.Shape.Select(d => (long)d).SequenceEqual(parameter.shape))
                throw new CheckpointFormatException($"The weight '{name}' has shape {data.ShapeText}; the model needs [{string.Join(", ", parameter.shape)}].");
            using var source = tensor(data.Values, parameter.shape);
            parameter.copy_(source);
        }
    }

    public static CharRnnModel CreateModel(ModelConfig config) =>
        new(config.VocabSize, config.Hidden, config.Layers, config.Dropout);

    /// <summary>A model holding a checkpoint's weights, on the CPU.</summary>
    public static CharRnnModel FromCheckpoint(Checkpoint checkpoint)
    {
        var model = CreateModel(checkpoint.Config);
        Import(model, checkpoint.Tensors);
        return model;
    }

    public static ModelConfig ConfigOf(CharRnnModel model, double dropout) => new(model.Hidden, model.Layers, dropout, model.VocabSize);
}
