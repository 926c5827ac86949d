using CharRnn.Training;

namespace CharRnn.Web.Contracts;

/// <summary><c>POST /api/runs</c>: omitted fields take the preset's values (<see cref="TrainingPresets"/>: notebook, the default, fast or quick).</summary>
public sealed record CreateRunRequest(
    int BookId, string? Name = null, int? Hidden = null, int? Layers = null, double? Dropout = null, double? LearningRate = null,
    int? BatchSize = null, int? SequenceLength = null, int? Epochs = null, double? GradientClip = null,
    double? ValidationFraction = null, int? EvaluateEvery = null, int? Seed = null, string? Device = null,
    Training.ScheduleKind? Schedule = null, int? WarmupSteps = null, double? MinLearningRate = null,
    int? EvaluationBatches = null, string? Preset = null)
{
    /// <summary>What is wrong with <see cref="Preset"/>, or null.</summary>
    public string? PresetProblem => Preset is null || TrainingPresets.ByName.ContainsKey(Preset) ? null
        : $"There is no preset '{Preset}'; the presets are {string.Join(", ", TrainingPresets.ByName.Keys)}.";

    /// <summary>The options asked for. An unknown preset counts as the notebook's here; <see cref="PresetProblem"/> refuses it.</summary>
    public TrainingOptions ToOptions()
    {
        var d = TrainingPresets.ByName.GetValueOrDefault(Preset ?? "notebook", TrainingPresets.Notebook);
        return d with
        {
            Hidden = Hidden ?? d.Hidden, Layers = Layers ?? d.Layers, Dropout = Dropout ?? d.Dropout,
            LearningRate = LearningRate ?? d.LearningRate,
            Schedule = Schedule ?? d.Schedule, WarmupSteps = WarmupSteps ?? d.WarmupSteps, MinLearningRate = MinLearningRate ?? d.MinLearningRate, BatchSize = BatchSize ?? d.BatchSize,
            SequenceLength = SequenceLength ?? d.SequenceLength, Epochs = Epochs ?? d.Epochs,
            GradientClip = GradientClip ?? d.GradientClip, ValidationFraction = ValidationFraction ?? d.ValidationFraction,
            EvaluateEvery = EvaluateEvery ?? d.EvaluateEvery,
            // 0 asks for the whole split every time, overriding a preset's subset.
            EvaluationBatches = EvaluationBatches switch { null => d.EvaluationBatches, 0 => null, var n => n },
            Seed = Seed, Device = Device ?? d.Device,
        };
    }
}
