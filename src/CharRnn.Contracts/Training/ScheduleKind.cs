using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>How the learning rate moves over a run: the notebook's constant rate, or a warm-up then a decay.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary><see cref="TrainingOptions.LearningRate"/> at every step (the notebook's).</summary>
    Constant,
    /// <summary>Linear warm-up to the peak, then a half cosine down to the floor at the last step.</summary>
    Cosine,
    /// <summary>Linear warm-up to the peak, then a straight line down to the floor at the last step.</summary>
    Linear,
}
