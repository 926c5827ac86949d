using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Training.Tests;

/// <summary>The presets' recipes, and the precision each asks for and becomes.</summary>
public class TrainingPresetsTests
{
    [Fact]
    public void Fast_to_quality_is_the_short_sequence_recipe_on_the_notebooks_model()
    {
        var fast = TrainingPresets.Fast.Options;
        var notebook = TrainingPresets.Notebook.Options;

        // The model is the notebook's, so its checkpoints load in the notebook; the rest is how it is trained.
        Assert.Equal((notebook.Hidden, notebook.Layers), (fast.Hidden, fast.Layers));
        Assert.Equal((32, 50, 0.2), (fast.BatchSize, fast.SequenceLength, fast.Dropout));
        Assert.Equal((ScheduleKind.Cosine, 0.008, 50, 0.0001, 4), (fast.Schedule, fast.LearningRate, fast.WarmupSteps, fast.MinLearningRate, fast.Epochs));
        Assert.Equal((400, (int?)3), (fast.EvaluateEvery, fast.EvaluationBatches));
    }

    [Fact]
    public void Best_in_an_hour_is_the_long_cosine_at_the_notebooks_batch()
    {
        var hour = TrainingPresets.Named("hour");

        Assert.Equal("Best in an hour", hour.Name);
        Assert.Equal((512, 2, 0.5, 128, 100), (hour.Options.Hidden, hour.Options.Layers, hour.Options.Dropout, hour.Options.BatchSize, hour.Options.SequenceLength));
        Assert.Equal((ScheduleKind.Cosine, 0.006, 50, 24), (hour.Options.Schedule, hour.Options.LearningRate, hour.Options.WarmupSteps, hour.Options.Epochs));
        Assert.Equal(["notebook", "fast", "hour", "quick", "finetune"], TrainingPresets.All.Select(p => p.Key));
    }

    [Fact]
    public void The_speed_presets_ask_for_auto_and_the_notebook_for_float32()
    {
        Assert.Equal(PrecisionChoice.Float32, TrainingPresets.Notebook.Options.Precision);
        Assert.All([TrainingPresets.Fast, TrainingPresets.Hour, TrainingPresets.Quick], p => Assert.Equal(PrecisionChoice.Auto, p.Options.Precision));
    }

    [Theory]
    [InlineData(new string[0], TrainingPrecision.Float32, "float32, chosen by auto: this CPU has no AVX512_BF16 or AMX, so bfloat16 would be emulated, and slower than float32")]
    [InlineData(new[] { "avx512_bf16" }, TrainingPrecision.Bfloat16, "bfloat16, chosen by auto: this CPU computes in bfloat16 natively (avx512_bf16)")]
    public void A_speed_preset_trains_in_bfloat16_only_where_the_cpu_has_it_and_says_why(string[] cpuFlags, TrainingPrecision becomes, string reason)
    {
        // The flags stand in for /proc/cpuinfo: an Intel Xeon without AVX512_BF16, an AMD EPYC with it.
        var choice = TrainingPresets.Fast.Options.Precision;

        Assert.Equal(becomes, TrainingPrecisions.For(choice, nativeBfloat16: cpuFlags.Length > 0));
        Assert.Equal(reason, TrainingPrecisions.Explain(choice, TrainingDevice.Cpu, cpuFlags));
    }
}
