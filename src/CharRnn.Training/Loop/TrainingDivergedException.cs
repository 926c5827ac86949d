namespace CharRnn.Training.Loop;

/// <summary>
/// The loss stopped being a number (NaN or infinite): the weights have blown up and every later step would be noise.
/// The run stops before recording that step or saving a checkpoint, so the checkpoints it kept are all good ones.
/// </summary>
public sealed class TrainingDivergedException(long step, double loss, string which)
    : Exception($"The {which} loss became {(double.IsNaN(loss) ? "NaN" : loss.ToString())} at step {step:N0}: the run diverged. "
        + "Its checkpoints before that step are kept; resuming would diverge again, so start a new run with a lower learning rate or a smaller gradient clip.")
{
    public long Step { get; } = step;
}
