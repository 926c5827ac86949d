using System.Diagnostics;

namespace CharRnn.Training.Model;

/// <summary>The parts of a training step, in the order <see cref="TrainingSteps.Train"/> runs them.</summary>
public enum StepPhase
{
    /// <summary>bfloat16 only: the float32 weights copied into the bfloat16 copy the step computes with.</summary>
    WeightCopy,
    /// <summary>The batch into tensors, one-hot, the LSTM and the output layer.</summary>
    Forward,
    /// <summary>Cross-entropy of the logits.</summary>
    Loss,
    /// <summary>Every gradient, through the output layer and the LSTM.</summary>
    Backward,
    /// <summary>bfloat16 only: the copy's gradients into float32 for the float32 weights.</summary>
    GradientCopy,
    /// <summary>Gradient-norm clipping.</summary>
    Clip,
    /// <summary>Adam's update of the float32 weights.</summary>
    Optimizer,
    /// <summary>The carried state detached, and the loss read back.</summary>
    Rest,
}

/// <summary>
/// Seconds spent in each <see cref="StepPhase"/> over the steps it timed: where a training step's time goes, for
/// <c>charrnn-bench roofline</c>. libtorch's CPU operations return when done, so a lap is the phase's own time.
/// </summary>
public sealed class StepTimer
{
    private readonly Stopwatch _clock = new();
    private readonly double[] _seconds = new double[Enum.GetValues<StepPhase>().Length];

    /// <summary>Steps timed.</summary>
    public int Steps { get; private set; }

    /// <summary>The mean seconds a step spent in <paramref name="phase"/>.</summary>
    public double MeanSeconds(StepPhase phase) => Steps == 0 ? 0 : _seconds[(int)phase] / Steps;

    /// <summary>The mean seconds of a whole step.</summary>
    public double MeanStepSeconds => Steps == 0 ? 0 : _seconds.Sum() / Steps;

    internal void Start() => _clock.Restart();

    internal void Lap(StepPhase phase)
    {
        _seconds[(int)phase] += _clock.Elapsed.TotalSeconds;
        _clock.Restart();
        if (phase == StepPhase.Rest) Steps++;
    }

    /// <summary>Forgets what was timed (the warm-up steps).</summary>
    public void Reset()
    {
        Array.Clear(_seconds);
        Steps = 0;
    }
}
