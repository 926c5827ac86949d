using CharRnn.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Precision;

/// <summary>
/// The model a training step computes with, beside the float32 model the optimizer updates. In float32 they are one
/// model. In bfloat16 the step runs forward and backward on a <see cref="Bfloat16Copy"/>, loaded from the float32
/// weights before each step, and its gradients are handed back as float32 to the float32 weights, where clipping and
/// Adam work: the weights, Adam's state, the logits, the loss and the checkpoints stay float32. TorchSharp 0.107 has no
/// autocast, so the copy is made by hand, as mixed-precision training did before autocast.
/// </summary>
public sealed class MixedPrecision : IDisposable
{
    private readonly (Parameter Weight, Parameter Copy)[] _pairs;
    private readonly Bfloat16Copy? _copy;

    public MixedPrecision(CharRnnModel model, TrainingPrecision precision, Device device)
    {
        Model = model;
        Precision = precision;
        if (precision == TrainingPrecision.Float32)
        {
            Compute = model;
            _pairs = [];
            return;
        }
        _copy = new Bfloat16Copy(model);
        _copy.to(device);
        Compute = _copy;
        _pairs = _copy.Pairs(model).ToArray();
    }

    /// <summary>The float32 model: what the optimizer updates, validation reads and checkpoints hold.</summary>
    public CharRnnModel Model { get; }

    /// <summary>The model the forward and backward passes run on: <see cref="Model"/> itself in float32, its bfloat16 copy otherwise.</summary>
    public nn.Module<Tensor, (Tensor H, Tensor C), (Tensor Logits, (Tensor H, Tensor C) State)> Compute { get; }

    public TrainingPrecision Precision { get; }

    /// <summary>A zero state for <paramref name="batchSize"/> sequences in the type the step's LSTM computes in.</summary>
    public (Tensor H, Tensor C) InitialState(long batchSize, Device device) =>
        _copy?.InitialState(batchSize, device) ?? Model.InitialState(batchSize, device);

    /// <summary>Before a step: the copy takes the float32 weights (rounded to bfloat16), and forgets the last step's gradients.</summary>
    public void LoadWeights()
    {
        if (_copy is null) return;
        using (no_grad())
            foreach (var (weight, copy) in _pairs) copy.copy_(weight);
        _copy.zero_grad();
    }

    /// <summary>After the backward pass: the copy's gradients become the float32 weights' gradients.</summary>
    public void PassGradients()
    {
        foreach (var (weight, copy) in _pairs)
            if (copy.grad is { } gradient) weight.grad = gradient.to(ScalarType.Float32);
    }

    public void Dispose() => _copy?.Dispose();
}
