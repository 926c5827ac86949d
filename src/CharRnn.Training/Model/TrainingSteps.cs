using CharRnn.Training.Loop;
using CharRnn.Training.Precision;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Model;

/// <summary>
/// One training step and one validation batch, as the notebook runs them. The <see cref="Trainer"/> loops
/// over them; <see cref="TrainingCost"/> times them, so an estimate measures exactly what a run will do.
/// </summary>
internal static class TrainingSteps
{
    /// <summary>
    /// Forward, backward, clip, step inside one dispose scope, on the model's compute copy in its precision; the logits
    /// and the loss are float32. The carried state (in the compute precision) is replaced by the new one, detached.
    /// </summary>
    /// <param name="timer">Times each part of the step (<c>charrnn-bench roofline</c>); null in training.</param>
    public static double Train(MixedPrecision model, OptimizerHelper optimizer, long[] inputs, long[] targets, int batchSize,
        double gradientClip, Device device, ref (Tensor H, Tensor C) state, StepTimer? timer = null)
    {
        using var scope = NewDisposeScope();
        timer?.Start();
        model.Compute.train();
        model.LoadWeights();
        timer?.Lap(StepPhase.WeightCopy);
        var x = tensor(inputs, [batchSize, inputs.Length / batchSize]).to(device);
        var y = tensor(targets).to(device);
        optimizer.zero_grad();
        var (logits, next) = model.Compute.call(x, state);
        timer?.Lap(StepPhase.Forward);
        var loss = nn.functional.cross_entropy(logits, y);
        timer?.Lap(StepPhase.Loss);
        loss.backward();
        timer?.Lap(StepPhase.Backward);
        model.PassGradients();
        timer?.Lap(StepPhase.GradientCopy);
        nn.utils.clip_grad_norm_(model.Model.parameters(), gradientClip);
        timer?.Lap(StepPhase.Clip);
        optimizer.step();
        timer?.Lap(StepPhase.Optimizer);
        // Keep the state for the next batch, detached so gradients stop at the batch boundary.
        DisposeState(state);
        state = (next.H.detach().MoveToOuterDisposeScope(), next.C.detach().MoveToOuterDisposeScope());
        var value = loss.item<float>();
        timer?.Lap(StepPhase.Rest);
        return value;
    }

    /// <summary>The loss of one validation batch, dropout off and no gradients; the carried state is replaced by the new one.</summary>
    public static double Validate(CharRnnModel model, long[] inputs, long[] targets, int batchSize, Device device, ref (Tensor H, Tensor C) state)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var (logits, next) = model.call(tensor(inputs, [batchSize, inputs.Length / batchSize]).to(device), state);
        var loss = nn.functional.cross_entropy(logits, tensor(targets).to(device)).item<float>();
        DisposeState(state);
        state = (next.H.MoveToOuterDisposeScope(), next.C.MoveToOuterDisposeScope());
        return loss;
    }

    public static void DisposeState((Tensor H, Tensor C) state)
    {
        state.H.Dispose();
        state.C.Dispose();
    }
}
