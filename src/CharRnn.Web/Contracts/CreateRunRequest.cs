using CharRnn.Training;

namespace CharRnn.Web.Contracts;

/// <summary><c>POST /api/runs</c>: omitted fields take the notebook's values.</summary>
public sealed record CreateRunRequest(
    int BookId, string? Name = null, int? Hidden = null, int? Layers = null, double? Dropout = null, double? LearningRate = null,
    int? BatchSize = null, int? SequenceLength = null, int? Epochs = null, double? GradientClip = null,
    double? ValidationFraction = null, int? EvaluateEvery = null, int? Seed = null, string? Device = null,
    Training.ScheduleKind? Schedule = null, int? WarmupSteps = null, double? MinLearningRate = null)
{
    public TrainingOptions ToOptions()
    {
        var d = new TrainingOptions();
        return d with
        {
            Hidden = Hidden ?? d.Hidden, Layers = Layers ?? d.Layers, Dropout = Dropout ?? d.Dropout,
            LearningRate = LearningRate ?? d.LearningRate,
            Schedule = Schedule ?? d.Schedule, WarmupSteps = WarmupSteps ?? d.WarmupSteps, MinLearningRate = MinLearningRate ?? d.MinLearningRate, BatchSize = BatchSize ?? d.BatchSize,
            SequenceLength = SequenceLength ?? d.SequenceLength, Epochs = Epochs ?? d.Epochs,
            GradientClip = GradientClip ?? d.GradientClip, ValidationFraction = ValidationFraction ?? d.ValidationFraction,
            EvaluateEvery = EvaluateEvery ?? d.EvaluateEvery, Seed = Seed, Device = Device ?? d.Device,
        };
    }
}
