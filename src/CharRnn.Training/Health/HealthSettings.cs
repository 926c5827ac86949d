namespace CharRnn.Training.Health;

/// <summary>
/// The health checks' switches and thresholds (the web app's <c>CharRnn:Health</c> section; README, "Settings"). The
/// defaults follow the issue that asked for them and char-rnn's own rule for a loss that runs away.
/// </summary>
public sealed class HealthSettings
{
    public const string Section = "CharRnn:Health";

    public bool Stuck { get; set; } = true;
    /// <summary>Stuck: the training loss (averaged over <see cref="Window"/> steps) within this of the frequency line…</summary>
    public double StuckMargin { get; set; } = 0.05;
    /// <summary>…after at least this many steps, or <see cref="StuckShare"/> of the run if that is more.</summary>
    public int StuckAfterSteps { get; set; } = 150;
    public double StuckShare { get; set; } = 0.05;

    public bool Diverging { get; set; } = true;
    /// <summary>Diverging: the loss above this many times its lowest so far, for <see cref="DivergingSteps"/> steps in a row (char-rnn's rule is 3×, and aborts).</summary>
    public double DivergingFactor { get; set; } = 2;
    public int DivergingSteps { get; set; } = 50;

    public bool Overfitting { get; set; } = true;
    /// <summary>Overfitting: whole-split validation rose at this many evaluations in a row while the training loss fell.</summary>
    public int OverfittingEvaluations { get; set; } = 3;

    public bool Stalled { get; set; } = true;
    /// <summary>Stalled: validation improved by less than this share over the last third of the run's steps.</summary>
    public double StalledImprovement { get; set; } = 0.005;

    /// <summary>
    /// Stops a run that has been stuck this many steps, with its checkpoint (0: never, the default: a person decides).
    /// A sweep's trials have their own, on by default: a stuck trial wastes its share of the sweep, and successive halving
    /// might keep it while too few trials have reached its rung to judge.
    /// </summary>
    public int StopStuckAfterSteps { get; set; }
    public int StopStuckTrialsAfterSteps { get; set; } = 300;

    /// <summary>Steps the training loss is averaged over, so that one noisy batch neither raises nor clears a condition.</summary>
    public int Window { get; set; } = 50;
}
