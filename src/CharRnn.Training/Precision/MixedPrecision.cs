using CharRnn.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Precision;

/// <summary>
/// The model a training step computes with, beside the float32 model the optimizer updates. In float32 they are one
/// model. In bfloat16 the step runs forward and backward on a copy whose LSTM is bfloat16 (its output layer stays
/// float32: <see cref="CharRnnModel.ComputeIn"/> says why), loaded from the float32 weights before each step, and its
/// gradients are handed back as float32 to the float32 weights, where clipping and Adam work: the weights, Adam's
/// state, the logits, the loss and the checkpoints stay float32. TorchSharp 0.107 has no autocast, so the copy is made
/// by hand, as mixed-precision training did before autocast.
/// </summary>
public sealed class MixedPrecision : IDisposable
{
    private readonly Parameter[] _weights;
    private readonly Parameter[] _copies;

    public MixedPrecision(CharRnnModel model, TrainingPrecision precision, Device device)
    {
        Model = model;
        Precision = precision;
        if (precision == TrainingPrecision.Float32)
        {
            Compute = model;
            (_weights, _copies) = ([], []);
            return;
        }
        Compute = new CharRnnModel(model.VocabSize, model.Hidden, model.Layers, model.DropoutRate);
        Compute.to(device);
        Compute.ComputeIn(ScalarType.BFloat16);
        _weights = model.parameters().ToArray();
        _copies = Compute.parameters().ToArray();
    }

    /// <summary>The float32 model: what the optimizer updates, validation reads and checkpoints hold.</summary>
    public CharRnnModel Model { get; }

    /// <summary>The model the forward and backward passes run on: <see cref="Model"/> itself in float32, its bfloat16 copy otherwise.</summary>
    public CharRnnModel Compute { get; }

    public TrainingPrecision Precision { get; }

    private bool Copied => !ReferenceEquals(Compute, Model);

    /// <summary>Before a step: the copy takes the float32 weights (rounded to bfloat16), and forgets the last step's gradients.</summary>
    public void LoadWeights()
    {
        if (!Copied) return;
        using (no_grad())
            for (var i = 0; i < _weights.Length; i++) _copies[i].copy_(_weights[i]);
        Compute.zero_grad();
    }

    /// <summary>After the backward pass: the copy's gradients become the float32 weights' gradients.</summary>
    public void PassGradients()
    {
        if (!Copied) return;
        for (var i = 0; i < _weights.Length; i++)
            if (_copies[i].grad is { } gradient) _weights[i].grad = gradient.to(ScalarType.Float32);
    }

    public void Dispose()
    {
        if (Copied) Compute.Dispose();
    }
}
