using CharRnn.Inference.Checkpoints;

namespace CharRnn.Training.Checkpoints;

/// <summary>Reads a checkpoint in either format: ours (safetensors) or the notebook's (a PyTorch zip).</summary>
public static class CheckpointFormats
{
    public static Checkpoint Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException($"There is no checkpoint file at {path}.");
        return IsPyTorchZip(path) ? NotebookCheckpoint.Read(path) : CheckpointFile.Read(path);
    }

    /// <summary>PyTorch ≥ 1.6 saves a zip archive, which begins with the local-file signature "PK\x03\x04".</summary>
    public static bool IsPyTorchZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head is [0x50, 0x4B, 0x03, 0x04];
    }
}
