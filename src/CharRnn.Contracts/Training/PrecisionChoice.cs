using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// The number format a run computes its forward and backward passes in. The weights the optimizer updates, Adam's
/// state, the loss, gradient clipping and the checkpoints stay float32 whatever is chosen. Like the device, <c>auto</c>
/// is decided where the run trains (the training library's <c>TrainingPrecisions</c>).
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<PrecisionChoice>))]
public enum PrecisionChoice
{
    /// <summary>bfloat16 where the device computes in it natively (a CPU with AVX512_BF16 or AMX, a GPU since Ampere), else float32.</summary>
    Auto,
    /// <summary>float32 throughout (the notebook's).</summary>
    Float32,
    /// <summary>Forward and backward in bfloat16 on a bfloat16 copy of the weights, wherever the run trains (emulated, and slower, where the processor lacks it).</summary>
    Bfloat16,
}
