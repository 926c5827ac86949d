using System.Globalization;
using CharRnn.Training.Loop;

namespace CharRnn.Training.Health;

/// <summary>
/// Watches one run's trainer events and says when it stops learning: the one place the conditions are decided, so the
/// in-process queue, a Slurm worker, a sweep's trials and <c>charrnn train</c> all warn alike. <see cref="Changed"/>
/// fires when the worst condition now present changes, null when the run is healthy again (a loss that recovers
/// clears its warning).
/// </summary>
/// <param name="frequencyLoss">The run's training split's letter-frequency entropy (<see cref="CharacterFrequencies"/>).</param>
public sealed class HealthMonitor(TrainingOptions options, long totalSteps, double frequencyLoss, HealthSettings settings)
{
    private readonly Queue<double> _window = new();
    private double _windowSum;
    private double _lowest = double.PositiveInfinity;
    private long? _stuckSince, _aboveSince;
    private readonly List<(long Step, double ValLoss, double TrainLoss)> _evaluations = [];

    public RunHealth? Current { get; private set; }

    public event Action<RunHealth?>? Changed;

    public void Attach(Trainer trainer)
    {
        trainer.StepCompleted += OnStep;
        trainer.Evaluated += OnEvaluated;
    }

    public void OnStep(StepMetrics s)
    {
        _window.Enqueue(s.TrainLoss);
        _windowSum += s.TrainLoss;
        if (_window.Count > settings.Window) _windowSum -= _window.Dequeue();
        var mean = _windowSum / _window.Count;
        var full = _window.Count == settings.Window;
        if (full) _lowest = Math.Min(_lowest, mean);

        _stuckSince = full && Math.Abs(mean - frequencyLoss) <= settings.StuckMargin ? _stuckSince ?? s.Step - settings.Window + 1 : null;
        // Running away: well above its lowest (by the factor, and by half a nat, so that a memorising run's 0.01 → 0.03 is
        // not alarming), or, once past the warm-up, worse than guessing letters by their frequency.
        var runaway = full && mean > settings.DivergingFactor * _lowest && mean - _lowest >= 0.5;
        var worseThanGuessing = full && LateEnough(s.Step) && mean > frequencyLoss + settings.StuckMargin;
        var above = !double.IsFinite(s.TrainLoss) || runaway || worseThanGuessing;
        _aboveSince = above ? _aboveSince ?? s.Step : null;

        Decide(s.Step, mean);
    }

    public void OnEvaluated(Evaluation e)
    {
        if (!e.WholeSplit) return;
        _evaluations.Add((e.Step, e.ValLoss, _window.Count > 0 ? _windowSum / _window.Count : double.NaN));
        Decide(e.Step, _window.Count > 0 ? _windowSum / _window.Count : double.NaN);
    }

    private void Decide(long step, double mean)
    {
        var lateEnough = LateEnough(step);
        RunHealth? now = null;
        if (settings.Diverging && _aboveSince is { } above && (step - above + 1 >= settings.DivergingSteps || !double.IsFinite(mean)))
            now = new(HealthCondition.Diverging, above, double.IsFinite(mean)
                ? $"Diverging: the training loss has been {(mean > frequencyLoss ? $"above the level of guessing letters by their frequency ({F(frequencyLoss)})" : $"above twice its lowest ({F(_lowest)})")} for {step - above + 1:N0} steps, now {F(mean)}. "
                  + $"The learning rate ({Rate}) is probably too high: {Remedy(HealthCondition.Diverging)}."
                : $"Diverging: the training loss became {mean.ToString(CultureInfo.InvariantCulture)} at step {step:N0}. The learning rate ({Rate}) is probably too high: {Remedy(HealthCondition.Diverging)}.");
        else if (settings.Stuck && lateEnough && _stuckSince is { } stuck)
            now = new(HealthCondition.Stuck, stuck,
                $"Stuck at {F(mean)} for {step - stuck + 1:N0} steps, the level of guessing letters by their frequency ({F(frequencyLoss)}): the model has learned "
                + $"only how often each letter occurs. The learning rate ({Rate}) is probably too high for this model: {Remedy(HealthCondition.Stuck)}.");
        else if (settings.Overfitting && Overfitting() is { } overfit)
            now = overfit;
        else if (settings.Stalled && Stalled(step) is { } stalled)
            now = stalled;
        // Said again only when the condition changes: the numbers in a standing warning move with every step.
        var same = now?.Condition == Current?.Condition;
        Current = now;
        if (!same) Changed?.Invoke(now);
    }

    /// <summary>
    /// Why the run should stop now: stuck for as many steps as its setting allows (<see cref="HealthSettings.StopStuckAfterSteps"/>,
    /// or for a sweep's trial <see cref="HealthSettings.StopStuckTrialsAfterSteps"/>); null while it may go on.
    /// </summary>
    public string? StopReason(long step, bool sweepTrial)
    {
        var (limit, setting) = sweepTrial
            ? (settings.StopStuckTrialsAfterSteps, nameof(HealthSettings.StopStuckTrialsAfterSteps))
            : (settings.StopStuckAfterSteps, nameof(HealthSettings.StopStuckAfterSteps));
        if (limit <= 0 || Current is not { Condition: HealthCondition.Stuck } stuck || step - stuck.Since + 1 < limit) return null;
        return $"Stopped at step {step:N0}: stuck at the level of guessing letters by their frequency ({F(frequencyLoss)}) for {step - stuck.Since + 1:N0} steps "
            + $"({HealthSettings.Section}:{setting} is {limit:N0}). The learning rate ({Rate}) is probably too high: {Remedy(HealthCondition.Stuck)}.";
    }

    /// <summary>Stuck and worse-than-guessing are judged only after a warm-up's worth of steps: every run starts at the frequency line or above it.</summary>
    private bool LateEnough(long step) => step >= Math.Max(settings.StuckAfterSteps, (long)Math.Ceiling(totalSteps * settings.StuckShare));

    /// <summary>
    /// Validation rose at the last few whole-split evaluations in a row while the training loss fell across them; once
    /// said, it stands until validation reaches a new best (a dip on the way up does not clear it).
    /// </summary>
    private RunHealth? Overfitting()
    {
        if (Current?.Condition == HealthCondition.Overfitting && _evaluations.Count > 0 && _evaluations[^1].ValLoss > _evaluations.Min(e => e.ValLoss))
            return Current;
        var n = settings.OverfittingEvaluations;
        if (_evaluations.Count < n + 1) return null;
        var last = _evaluations.TakeLast(n + 1).ToList();
        for (var i = 1; i <= n; i++)
            if (last[i].ValLoss <= last[i - 1].ValLoss) return null;
        // …while training fell, and fell below validation: the gap opens (early on, both sit near the frequency line and wobble).
        if (!(last[^1].TrainLoss < last[0].TrainLoss && last[^1].TrainLoss < last[^1].ValLoss)) return null;
        var best = _evaluations.MinBy(e => e.ValLoss);
        return new(HealthCondition.Overfitting, last[1].Step,
            $"Overfitting: validation rose at {n} evaluations in a row, from {F(last[0].ValLoss)} at step {last[0].Step:N0} to {F(last[^1].ValLoss)} at step {last[^1].Step:N0}, "
            + $"while the training loss fell to {F(last[^1].TrainLoss)}. The best checkpoint is at step {best.Step:N0} ({F(best.ValLoss)}): sample from it, "
            + $"or {Remedy(HealthCondition.Overfitting)}.");
    }

    /// <summary>Over the last third of the run's steps, the best validation improved on the best before by less than the threshold.</summary>
    private RunHealth? Stalled(long step)
    {
        var third = totalSteps / 3;
        if (third < 1 || step < third) return null;
        var before = _evaluations.Where(e => e.Step <= step - third).Select(e => e.ValLoss).DefaultIfEmpty(double.NaN).Min();
        var recent = _evaluations.Where(e => e.Step > step - third).Select(e => e.ValLoss).DefaultIfEmpty(double.NaN).Min();
        if (double.IsNaN(before) || double.IsNaN(recent) || recent < before * (1 - settings.StalledImprovement)) return null;
        return new(HealthCondition.Stalled, step - third,
            $"Stalled: validation has not improved by {settings.StalledImprovement:P1} over the last {third:N0} steps (best {F(Math.Min(before, recent))}). "
            + $"More steps at this rate will not help much: stop here and use the best checkpoint, or {Remedy(HealthCondition.Stalled)}.");
    }

    /// <summary>The condition's one-click remedy in words, as the button does it (<see cref="RemedyPlan"/>).</summary>
    private string Remedy(HealthCondition condition) => RemedyPlan.For(condition, options).Action;

    private string Rate => options.LearningRate.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
}
