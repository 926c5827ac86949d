namespace CharRnn.Training.Loop;

/// <summary>
/// The learning rate of each step, from the step alone: a resumed run continues at the rate its step has, whatever
/// happened before. Steps count from 1; warm-up rises linearly over <see cref="TrainingOptions.WarmupSteps"/> steps to
/// <see cref="TrainingOptions.LearningRate"/> (the peak), then the decay reaches
/// <see cref="TrainingOptions.MinLearningRate"/> at the run's last step (the last step of its last epoch: <c>--max-steps</c>
/// stops a run early without moving its schedule, so it can be resumed on the same curve).
/// </summary>
public static class LearningRateSchedule
{
    public static double At(TrainingOptions options, long step, long totalSteps)
    {
        var peak = options.LearningRate;
        if (options.Schedule == ScheduleKind.Constant) return peak;
        var warmup = options.WarmupSteps;
        if (step <= warmup) return peak * step / warmup;
        var floor = options.MinLearningRate;
        var decaySteps = Math.Max(1, totalSteps - warmup);
        var progress = Math.Clamp((double)(step - warmup) / decaySteps, 0, 1);
        return options.Schedule switch
        {
            ScheduleKind.Cosine => floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => peak - (peak - floor) * progress,
        };
    }
}
