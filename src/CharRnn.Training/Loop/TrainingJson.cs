using System.Text.Json;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Training.Loop;

/// <summary>
/// Run options as JSON, the one form they are kept in: inside a checkpoint's <c>training</c> metadata, and in the web
/// app's store (a run's row). The same settings as the API (<see cref="ContractsJson"/>).
/// </summary>
public static class TrainingJson
{
    public static string Write(TrainingOptions options) => JsonSerializer.Serialize(options, ContractsJson.Options);

    public static TrainingOptions Read(string json) => JsonSerializer.Deserialize<TrainingOptions>(json, ContractsJson.Options)!;

    public static JsonElement ToElement(TrainingOptions options) => JsonSerializer.SerializeToElement(options, ContractsJson.Options);

    /// <summary>The options a checkpoint was trained with, or null for one without them (an imported notebook file).</summary>
    public static TrainingOptions? OptionsOf(Checkpoint checkpoint) =>
        checkpoint.Training?.Options is { } element ? element.Deserialize<TrainingOptions>(ContractsJson.Options) : null;
}
