using CharRnn.Training.Health;
using CharRnn.Training.Loop;

namespace CharRnn.Training.Tests;

/// <summary>
/// The health conditions, decided from step and evaluation events made up here: no model is trained. One test per
/// condition and its edges; the wiring (a real trainer's events, the run page's banner) is RunHealthTests' end-to-end run.
/// </summary>
public class HealthMonitorTests
{
    /// <summary>The letter-frequency line of these made-up runs.</summary>
    private const double Frequency = 3.1;

    private static readonly TrainingOptions Options = TrainingPresets.Notebook.Options with { LearningRate = 0.004, Dropout = 0 };

    private sealed class Watched
    {
        public Watched(long totalSteps = 1_000, HealthSettings? settings = null)
        {
            Monitor = new HealthMonitor(Options, totalSteps, Frequency, settings ?? new HealthSettings());
            Monitor.Changed += Changes.Add;
        }

        public HealthMonitor Monitor { get; }
        public List<RunHealth?> Changes { get; } = [];
        public long Step { get; private set; }

        public Watched Steps(int count, Func<long, double> loss)
        {
            for (var i = 0; i < count; i++)
            {
                Step++;
                Monitor.OnStep(new StepMetrics(Step, 1_000, 1, 1, loss(Step), 1_000, TimeSpan.Zero));
            }
            return this;
        }

        public Watched Steps(int count, double loss) => Steps(count, _ => loss);

        public Watched Evaluated(double valLoss, bool wholeSplit = true)
        {
            Monitor.OnEvaluated(new Evaluation(Step, 1, valLoss, "", wholeSplit));
            return this;
        }
    }

    /// <summary>A loss that falls from the frequency line towards 1.2, as a run that learns.</summary>
    private static double Learning(long step) => 1.2 + (Frequency - 1.2) * Math.Exp(-step / 100.0);

    [Fact]
    public void A_run_that_learns_is_never_warned()
    {
        // Falling steadily, from just under the line to 1.5 over 1,000 steps, with validation a little above training.
        static double Steady(long step) => 3.0 - 0.0015 * step;
        var run = new Watched();
        for (var i = 0; i < 10; i++) run.Steps(100, Steady).Evaluated(Steady(run.Step) + 0.05);

        Assert.Null(run.Monitor.Current);
        Assert.Empty(run.Changes);
    }

    [Fact]
    public void A_loss_at_the_frequency_line_is_stuck_only_after_the_warm_up_and_since_its_window_began()
    {
        var run = new Watched(totalSteps: 1_000).Steps(149, Frequency + 0.02);
        Assert.Null(run.Monitor.Current); // every run starts at the line: not judged before step 150

        run.Steps(1, Frequency + 0.02);

        var stuck = Assert.IsType<RunHealth>(run.Monitor.Current);
        Assert.Equal(HealthCondition.Stuck, stuck.Condition);
        Assert.Equal(1, stuck.Since); // the first full window (steps 1-50) already sat at the line
        Assert.Contains("Stuck at 3.12 for 150 steps", stuck.Detail);
        Assert.EndsWith("The learning rate (0.004) is probably too high for this model: restart with half the rate (0.004 → 0.002).", stuck.Detail);
        Assert.Single(run.Changes);
    }

    [Fact]
    public void The_warm_up_before_stuck_is_judged_grows_with_a_long_run()
    {
        // 5 % of 10,000 steps is 500: a long run's first 500 steps may sit at the line.
        var run = new Watched(totalSteps: 10_000).Steps(499, Frequency);
        Assert.Null(run.Monitor.Current);
        run.Steps(1, Frequency);
        Assert.Equal(HealthCondition.Stuck, run.Monitor.Current?.Condition);
    }

    [Fact]
    public void A_loss_just_outside_the_margin_is_not_stuck()
    {
        var run = new Watched().Steps(400, Frequency - 0.06);
        Assert.Null(run.Monitor.Current);
    }

    [Fact]
    public void A_loss_that_runs_away_from_its_lowest_is_diverging_after_its_steps_and_clears_when_it_recovers()
    {
        var run = new Watched().Steps(300, Learning); // the window's mean falls to about 1.3
        run.Steps(80, 3.0);
        Assert.Null(run.Monitor.Current); // the mean passes twice its lowest after about 40 steps, then needs 50 steps above

        run.Steps(20, 3.0);
        var diverging = Assert.IsType<RunHealth>(run.Monitor.Current);
        Assert.Equal(HealthCondition.Diverging, diverging.Condition);
        Assert.Contains("above twice its lowest", diverging.Detail);

        run.Steps(100, 1.5);
        Assert.Null(run.Monitor.Current);
        Assert.Equal([HealthCondition.Diverging, null], run.Changes.Select(c => c?.Condition));
    }

    [Fact]
    public void A_loss_that_is_not_a_number_is_diverging_at_once()
    {
        var run = new Watched().Steps(10, 2.5).Steps(1, double.NaN);

        Assert.Equal(HealthCondition.Diverging, run.Monitor.Current?.Condition);
        Assert.Contains("became NaN at step 11", run.Monitor.Current!.Detail);
    }

    [Fact]
    public void A_loss_above_the_frequency_line_after_the_warm_up_is_diverging_not_stuck()
    {
        var run = new Watched().Steps(400, Frequency + 0.5);
        Assert.Equal(HealthCondition.Diverging, run.Monitor.Current?.Condition);
        Assert.Contains("above the level of guessing letters by their frequency (3.10)", run.Monitor.Current!.Detail);
    }

    [Fact]
    public void Validation_rising_three_times_while_training_falls_below_it_is_overfitting_until_a_new_best()
    {
        var run = new Watched(totalSteps: 100_000);
        run.Steps(100, 1.5).Evaluated(1.40);
        run.Steps(100, 1.3).Evaluated(1.42);
        run.Steps(100, 1.2).Evaluated(1.45);
        Assert.Null(run.Monitor.Current); // two rises

        run.Steps(100, 1.1).Evaluated(1.50);
        var overfitting = Assert.IsType<RunHealth>(run.Monitor.Current);
        Assert.Equal(HealthCondition.Overfitting, overfitting.Condition);
        Assert.Equal(200, overfitting.Since);
        Assert.Contains("The best checkpoint is at step 100 (1.40): sample from it, or resume from the best checkpoint with more dropout (0 → 0.2).", overfitting.Detail);
        Assert.Equal(HealthRemedy.ResumeFromBest, overfitting.Remedy);

        run.Steps(100, 1.0).Evaluated(1.46); // a dip on the way up: still above the best
        Assert.Equal(HealthCondition.Overfitting, run.Monitor.Current?.Condition);
        run.Steps(100, 1.0).Evaluated(1.39);
        Assert.Null(run.Monitor.Current);
    }

    [Fact]
    public void Validation_rising_while_training_rises_too_is_not_overfitting_and_estimates_between_epochs_do_not_count()
    {
        var rising = new Watched(totalSteps: 100_000);
        foreach (var (train, val) in new[] { (1.5, 1.40), (1.6, 1.42), (1.7, 1.45), (1.8, 1.50) }) rising.Steps(100, train).Evaluated(val);
        Assert.Null(rising.Monitor.Current);

        var estimates = new Watched(totalSteps: 100_000);
        foreach (var (train, val) in new[] { (1.5, 1.40), (1.3, 1.42), (1.2, 1.45), (1.1, 1.50) }) estimates.Steps(100, train).Evaluated(val, wholeSplit: false);
        Assert.Null(estimates.Monitor.Current);
    }

    [Fact]
    public void A_validation_loss_that_stops_improving_over_the_last_third_is_stalled()
    {
        var run = new Watched(totalSteps: 900);
        run.Steps(300, Learning).Evaluated(1.50);
        run.Steps(299, 1.3).Evaluated(1.499); // under 0.5 % better
        Assert.Null(run.Monitor.Current); // not a whole third (300 steps) past the first evaluation yet

        run.Steps(1, 1.3).Evaluated(1.498);
        Assert.Equal(HealthCondition.Stalled, run.Monitor.Current?.Condition);
        Assert.Equal(300, run.Monitor.Current!.Since);
        Assert.EndsWith("stop here and use the best checkpoint, or resume from the best checkpoint with half the rate (0.004 → 0.002).", run.Monitor.Current.Detail);
    }

    [Fact]
    public void A_condition_switched_off_is_never_said()
    {
        var run = new Watched(settings: new HealthSettings { Stuck = false }).Steps(400, Frequency);
        Assert.Null(run.Monitor.Current);
    }

    [Fact]
    public void A_diverging_run_is_named_diverging_even_while_it_also_sits_above_the_line()
    {
        // NaN is the worst: it outranks any other condition present.
        var run = new Watched().Steps(300, Frequency).Steps(1, double.PositiveInfinity);
        Assert.Equal(HealthCondition.Diverging, run.Monitor.Current?.Condition);
    }

    [Theory]
    [InlineData(false, 0, null)] // a run's own limit is off by default: a person decides
    [InlineData(true, 300, 398L)] // a trial stops after 300 stuck steps: stuck since step 99, stopped at 398
    [InlineData(false, 200, 298L)]
    public void A_stuck_run_stops_only_past_its_setting(bool sweepTrial, int limit, long? stopsAt)
    {
        var settings = sweepTrial ? new HealthSettings { StopStuckTrialsAfterSteps = limit } : new HealthSettings { StopStuckAfterSteps = limit };
        // A loss that reaches the line after step 100: its window's mean comes within the margin at step 148, so it is stuck
        // since that window's first step, 99 (and flagged at 150, after the warm-up).
        var run = new Watched(settings: settings).Steps(100, 2.0);
        long? stoppedAt = null;
        for (var i = 0; i < 600 && stoppedAt is null; i++)
        {
            run.Steps(1, Frequency);
            if (run.Monitor.StopReason(run.Step, sweepTrial) is { } reason)
            {
                stoppedAt = run.Step;
                Assert.Contains($"for {limit:N0} steps", reason);
            }
        }
        Assert.Equal(stopsAt, stoppedAt);
    }
}
