using System.Text.Json.Serialization;
using CharRnn.Inference.Lstm;

namespace CharRnn.Inference.Checkpoints;

/// <summary>Source-generated JSON (no reflection), so the library trims and runs in the browser.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ModelConfig))]
[JsonSerializable(typeof(TrainingInfo))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext;
