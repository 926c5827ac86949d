using System.Text.Json;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Checkpoints;

/// <summary>
/// Reads and writes our checkpoint files: safetensors with <c>__metadata__</c> holding
/// <c>format</c> (charrnn/1), <c>vocab</c>, <c>config</c>, <c>training</c> and <c>created</c>.
/// </summary>
public static class CheckpointFile
{
    public const string Format = "charrnn/1";
    public const string Extension = ".safetensors";

    public static Checkpoint Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new CheckpointFormatException($"There is no checkpoint file at {path}."); }
        return Read(bytes);
    }

    public static Checkpoint Read(ReadOnlySpan<byte> bytes)
    {
        var (tensors, metadata) = SafeTensors.Read(bytes);
        if (!metadata.TryGetValue("format", out var format))
            throw new CheckpointFormatException("The file is a safetensors file without CharRnn metadata (no 'format' entry); it is not one of our checkpoints.");
        if (format != Format)
            throw new CheckpointFormatException($"The checkpoint format is '{format}'; this version reads '{Format}'.");

        var config = ParseMetadata(metadata, "config", InferenceJsonContext.Default.ModelConfig);
        Vocabulary vocabulary;
        try { vocabulary = Vocabulary.FromJson(Require(metadata, "vocab")); }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            throw new CheckpointFormatException($"The checkpoint's vocabulary is unreadable: {e.Message}", e);
        }
        var training = metadata.ContainsKey("training")
            ? ParseMetadata(metadata, "training", InferenceJsonContext.Default.TrainingInfo)
            : null;
        var created = metadata.TryGetValue("created", out var c) && DateTimeOffset.TryParse(c, out var parsed) ? parsed : DateTimeOffset.MinValue;

        var checkpoint = new Checkpoint(config, vocabulary, tensors, training, created);
        checkpoint.Validate();
        return checkpoint;
    }

    /// <summary>Writes to a temporary name and renames it, so a crash never leaves half a checkpoint.</summary>
    public static void Write(string path, Checkpoint checkpoint)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(stream, checkpoint);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void Write(Stream stream, Checkpoint checkpoint)
    {
        checkpoint.Validate();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["vocab"] = checkpoint.Vocabulary.ToJson(),
            ["config"] = JsonSerializer.Serialize(checkpoint.Config, InferenceJsonContext.Default.ModelConfig),
            ["created"] = checkpoint.Created.ToString("O"),
        };
        if (checkpoint.Training is not null)
            metadata["training"] = JsonSerializer.Serialize(checkpoint.Training, InferenceJsonContext.Default.TrainingInfo);
        // Tensors in PyTorch's parameter order, so files are byte-for-byte repeatable.
        var ordered = Checkpoint.ParameterNames(checkpoint.Config.Layers).ToDictionary(n => n, n => checkpoint.Tensors[n]);
        SafeTensors.Write(stream, ordered, metadata);
    }

    private static string Require(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException($"The checkpoint's metadata has no '{key}' entry.");

    private static T ParseMetadata<T>(Dictionary<string, string> metadata, string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(Require(metadata, key), type)
                ?? throw new CheckpointFormatException($"The checkpoint's '{key}' metadata is null.");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"The checkpoint's '{key}' metadata is not valid JSON: {e.Message}", e);
        }
    }
}
