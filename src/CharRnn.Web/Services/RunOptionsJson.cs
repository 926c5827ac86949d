using System.Text.Json;
using CharRnn.Training;

namespace CharRnn.Web;

/// <summary>Run options as stored in the Run row (the same JSON the checkpoints carry).</summary>
public static class RunOptionsJson
{
    public static string Write(TrainingOptions options) => JsonSerializer.Serialize(options, TrainingJson.Options);

    public static TrainingOptions Read(string json) => JsonSerializer.Deserialize<TrainingOptions>(json, TrainingJson.Options)!;
}
