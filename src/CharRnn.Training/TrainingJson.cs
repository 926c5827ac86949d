using System.Text.Json;
using CharRnn.Inference;

namespace CharRnn.Training;

/// <summary>How run options travel inside a checkpoint's <c>training</c> metadata.</summary>
public static class TrainingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static JsonElement ToElement(TrainingOptions options) => JsonSerializer.SerializeToElement(options, Options);

    /// <summary>The options a checkpoint was trained with, or null for one without them (an imported notebook file).</summary>
    public static TrainingOptions? OptionsOf(Checkpoint checkpoint) =>
        checkpoint.Training?.Options is { } element ? element.Deserialize<TrainingOptions>(Options) : null;
}
