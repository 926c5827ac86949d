using System.Globalization;

namespace CharRnn.Contracts;

/// <summary>
/// What one click on a health warning does, decided once for each condition: where the new run starts, the options it
/// trains with, and the words that promise it. The warning's advice (the training library's <c>HealthMonitor</c>), the
/// run page's button, the new run's name and <c>POST /api/runs/{id}/remedy</c> all read it, so what is said is what is done.
/// </summary>
/// <param name="Kind">From scratch, or from a copy of the run's best checkpoint (<see cref="RunHealth.Remedy"/>).</param>
/// <param name="Options">The new run's options.</param>
/// <param name="Change">What changes, in words: "half the rate (0.004 → 0.002)".</param>
public sealed record RemedyPlan(HealthRemedy Kind, TrainingOptions Options, string Change)
{
    /// <summary>Dropout an overfitting run's remedy adds, and the most it raises dropout to.</summary>
    public const double DropoutStep = 0.2, MaxDropout = 0.7;

    /// <summary>The clipping a restart adds to a run that had none: the notebook's.</summary>
    public const double Clip = 5;

    /// <summary>
    /// The remedy of <paramref name="condition"/> for a run with <paramref name="options"/>. An overfitting run has learned
    /// well up to its best checkpoint and memorised after it: it resumes from there with more dropout, the brake on
    /// memorising, at the same rate (with dropout already at the most, at half the rate instead). A stalled run resumes
    /// from its best at half the rate: smaller steps down the plateau. A diverging or stuck run's rate is the trouble: it
    /// starts again at half the rate, with clipping if it had none.
    /// </summary>
    public static RemedyPlan For(HealthCondition condition, TrainingOptions options)
    {
        var kind = KindFor(condition);
        if (condition == HealthCondition.Overfitting && options.Dropout < MaxDropout)
        {
            var dropout = Math.Min(MaxDropout, Math.Round(options.Dropout + DropoutStep, 2));
            return new(kind, options with { Dropout = dropout }, $"more dropout ({F(options.Dropout)} → {F(dropout)})");
        }
        var rate = options.LearningRate / 2;
        var halved = options with { LearningRate = rate, MinLearningRate = Math.Min(options.MinLearningRate, rate) };
        var change = $"half the rate ({F(options.LearningRate)} → {F(rate)})";
        if (kind == HealthRemedy.ResumeFromBest) return new(kind, halved, change);
        var clip = options.GradientClip > 0 ? options.GradientClip : Clip;
        return new(kind, halved with { MaxSteps = null, GradientClip = clip },
            options.GradientClip > 0 ? change : $"{change} and gradient clipping at {F(clip)}");
    }

    /// <summary>Where a condition's remedy starts: from the best checkpoint when what the run learned up to it is worth keeping.</summary>
    public static HealthRemedy KindFor(HealthCondition condition) =>
        condition is HealthCondition.Overfitting or HealthCondition.Stalled ? HealthRemedy.ResumeFromBest : HealthRemedy.Restart;

    /// <summary>"restart with half the rate (0.004 → 0.002)": the remedy in a sentence's middle.</summary>
    public string Action => (Kind == HealthRemedy.ResumeFromBest ? "resume from the best checkpoint with " : "restart with ") + Change;

    /// <summary>"Restart with half the rate (0.004 → 0.002)": the button's words.</summary>
    public string Button => char.ToUpperInvariant(Action[0]) + Action[1..];

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
