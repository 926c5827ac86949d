using CharRnn.Training.Loop;

namespace CharRnn.Training.Tests;

/// <summary>The learning rate at given steps, and a resumed run continuing on its schedule.</summary>
public class LearningRateScheduleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-schedule-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly TrainingOptions Peak3e3 = new() { LearningRate = 0.003, MinLearningRate = 0.0003, WarmupSteps = 10 };

    [Theory]
    [InlineData(1, 0.0003)]     // warm-up: a tenth of the peak at step 1 of 10
    [InlineData(5, 0.0015)]
    [InlineData(10, 0.003)]     // the peak at the end of the warm-up
    [InlineData(60, 0.00165)]   // half-way through the decay: half-way between peak and floor
    [InlineData(85, 0.00069541)] // three quarters: floor + (peak − floor) · (1 + cos 3π/4) / 2
    [InlineData(110, 0.0003)]   // the floor at the last step
    [InlineData(500, 0.0003)]   // and after it
    public void Cosine_warms_up_linearly_then_falls_to_the_floor_at_the_last_step(long step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(Peak3e3 with { Schedule = ScheduleKind.Cosine }, step, 110), 8);

    [Theory]
    [InlineData(10, 0.003)]
    [InlineData(35, 0.002325)]  // a quarter of the decay
    [InlineData(60, 0.00165)]
    [InlineData(110, 0.0003)]
    public void Linear_falls_in_a_straight_line(long step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(Peak3e3 with { Schedule = ScheduleKind.Linear }, step, 110), 8);

    [Fact]
    public void Constant_is_the_notebooks_rate_at_every_step_and_the_default()
    {
        Assert.Equal(ScheduleKind.Constant, new TrainingOptions().Schedule);
        Assert.All(new long[] { 1, 10, 1000 }, s => Assert.Equal(0.001, LearningRateSchedule.At(new TrainingOptions(), s, 100)));
    }

    [Fact]
    public void A_floor_above_the_peak_is_refused()
    {
        var problems = (Peak3e3 with { Schedule = ScheduleKind.Cosine, MinLearningRate = 0.01 }).Problems(100_000);
        Assert.Contains(problems, p => p.StartsWith("The final learning rate must be between 0 and the peak"));
    }

    [Fact]
    public void A_run_resumed_mid_schedule_continues_at_the_rate_its_step_has_and_saves_the_schedule()
    {
        var text = TinyRun.Text; // 10 steps an epoch
        var options = new TrainingOptions
        {
            Hidden = 16, Layers = 1, Dropout = 0, LearningRate = 0.01, MinLearningRate = 0.001, Schedule = ScheduleKind.Cosine, WarmupSteps = 4,
            BatchSize = 8, SequenceLength = 25, Epochs = 2, EvaluateEvery = 100, Seed = 3, Threads = 1,
        };
        var straight = new Trainer(text, options, Path.Combine(_folder, "straight"));
        var straightRates = new Dictionary<long, double>();
        straight.StepCompleted += s => straightRates[s.Step] = s.LearningRate;
        straight.Run();

        var first = new Trainer(text, options with { MaxSteps = 7 }, Path.Combine(_folder, "split")).Run();
        var saved = Inference.Checkpoints.CheckpointFile.Read(first.LastCheckpoint!);
        Assert.Equal(ScheduleKind.Cosine, TrainingJson.OptionsOf(saved)!.Schedule);
        var resumed = new Trainer(text, TrainingJson.OptionsOf(saved)! with { MaxSteps = null }, Path.Combine(_folder, "split"));
        var resumedRates = new Dictionary<long, double>();
        resumed.StepCompleted += s => resumedRates[s.Step] = s.LearningRate;
        resumed.Run(resumeFrom: first.LastCheckpoint);

        Assert.Equal(Enumerable.Range(8, 13).Select(i => (long)i), resumedRates.Keys);
        foreach (var (step, rate) in resumedRates)
        {
            Assert.Equal(straightRates[step], rate);
            Assert.Equal(LearningRateSchedule.At(options, step, 20), rate);
        }
        Assert.Equal(0.001, resumedRates[20], 12);
        Assert.True(resumedRates[8] > resumedRates[12], "the rate falls after the warm-up");
    }
}
