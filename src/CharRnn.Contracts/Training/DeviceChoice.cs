using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// Where a run asks to train. Which device that becomes is decided where it trains: by this server for runs it trains
/// itself, by the compute node for a Slurm job (the training library's <c>TrainingDevices</c>).
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<DeviceChoice>))]
public enum DeviceChoice
{
    /// <summary>A GPU where the machine that trains has one, else the CPU.</summary>
    Auto,
    Cpu,
    /// <summary>A GPU, or a clear refusal where there is none.</summary>
    Cuda,
}
