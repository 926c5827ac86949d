namespace CharRnn.Training.Tests;

/// <summary>
/// Each health condition's remedy: where it starts, what it changes, and the words that promise it, from options made up
/// here. Applying one to a real run (the copied checkpoint, the linked run) is RunHealthTests' end-to-end test.
/// </summary>
public class RemedyPlanTests
{
    private static readonly TrainingOptions Options = TrainingPresets.Fast.Options with { Dropout = 0, LearningRate = 0.008, MinLearningRate = 0.0001, MaxSteps = 500 };

    [Fact]
    public void An_overfitting_run_resumes_from_its_best_checkpoint_with_more_dropout_at_the_same_rate()
    {
        var plan = RemedyPlan.For(HealthCondition.Overfitting, Options);

        Assert.Equal(HealthRemedy.ResumeFromBest, plan.Kind);
        Assert.Equal(Options with { Dropout = 0.2 }, plan.Options);
        Assert.Equal("resume from the best checkpoint with more dropout (0 → 0.2)", plan.Action);
        Assert.Equal("Resume from the best checkpoint with more dropout (0 → 0.2)", plan.Button);
        Assert.Equal(0.7, RemedyPlan.For(HealthCondition.Overfitting, Options with { Dropout = 0.6 }).Options.Dropout);
    }

    [Fact]
    public void An_overfitting_run_whose_dropout_is_at_the_most_resumes_at_half_the_rate_instead()
    {
        var plan = RemedyPlan.For(HealthCondition.Overfitting, Options with { Dropout = 0.7 });

        Assert.Equal((HealthRemedy.ResumeFromBest, 0.7, 0.004), (plan.Kind, plan.Options.Dropout, plan.Options.LearningRate));
        Assert.Equal("half the rate (0.008 → 0.004)", plan.Change);
    }

    [Theory]
    [InlineData(HealthCondition.Diverging)]
    [InlineData(HealthCondition.Stuck)]
    public void A_diverging_or_stuck_run_restarts_at_half_the_rate_without_its_step_limit(HealthCondition condition)
    {
        var plan = RemedyPlan.For(condition, Options);

        Assert.Equal(HealthRemedy.Restart, plan.Kind);
        Assert.Equal(Options with { LearningRate = 0.004, MaxSteps = null }, plan.Options);
        Assert.Equal("Restart with half the rate (0.008 → 0.004)", plan.Button);
    }

    [Fact]
    public void A_restart_adds_clipping_to_a_run_that_had_none_and_says_so()
    {
        var plan = RemedyPlan.For(HealthCondition.Diverging, Options with { GradientClip = 0 });

        Assert.Equal(5, plan.Options.GradientClip);
        Assert.Equal("restart with half the rate (0.008 → 0.004) and gradient clipping at 5", plan.Action);
    }

    [Fact]
    public void A_stalled_run_resumes_from_its_best_at_half_the_rate_and_a_final_rate_above_the_new_peak_comes_down_to_it()
    {
        var plan = RemedyPlan.For(HealthCondition.Stalled, Options with { MinLearningRate = 0.006 });

        Assert.Equal(HealthRemedy.ResumeFromBest, plan.Kind);
        Assert.Equal((0.004, 0.004, 500L), (plan.Options.LearningRate, plan.Options.MinLearningRate, plan.Options.MaxSteps));
    }

    [Fact]
    public void A_warnings_remedy_kind_is_its_plans()
    {
        foreach (var condition in Enum.GetValues<HealthCondition>())
            Assert.Equal(RemedyPlan.For(condition, Options).Kind, new RunHealth(condition, 1, "").Remedy);
    }
}
