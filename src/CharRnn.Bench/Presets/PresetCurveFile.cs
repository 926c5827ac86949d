using System.Text.Json;

namespace CharRnn.Bench.Presets;

/// <summary>A benchmarked run's curve as JSON: how a run in a child process hands its figures back to the bench.</summary>
internal static class PresetCurveFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static void Write(string path, PresetCurve curve) => File.WriteAllText(path, JsonSerializer.Serialize(curve, Options));

    public static PresetCurve Read(string path) =>
        JsonSerializer.Deserialize<PresetCurve>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds no curve.");
}
