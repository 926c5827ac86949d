using CharRnn.Inference.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;

namespace CharRnn.Training.Checkpoints;

/// <summary>
/// A run's checkpoint folder: <c>step-0000130.safetensors</c> with its optimizer state beside it
/// (<c>step-0000130.optim</c>, needed only to resume), and <c>best.safetensors</c>, a copy of the one with
/// the lowest validation loss. Every file is written under a temporary name and renamed.
/// </summary>
public sealed class RunCheckpoints(string directory)
{
    public const string BestFileName = "best" + CheckpointFile.Extension;
    private const string OptimizerExtension = ".optim";

    public string Directory { get; } = directory;

    public string BestPath => Path.Combine(Directory, BestFileName);

    public static string OptimizerPathFor(string checkpointPath) => Path.ChangeExtension(checkpointPath, OptimizerExtension);

    /// <summary>Writes the optimizer state first, so a checkpoint that exists can always be resumed.</summary>
    public string Save(Checkpoint checkpoint, OptimizerHelper optimizer)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"step-{checkpoint.Training!.Step:D7}{CheckpointFile.Extension}");
        var optimizerPath = OptimizerPathFor(path);
        var temporary = optimizerPath + ".tmp";
        optimizer.save_state_dict(temporary);
        File.Move(temporary, optimizerPath, overwrite: true);
        CheckpointFile.Write(path, checkpoint);
        return path;
    }

    public void MarkBest(string checkpointPath)
    {
        var temporary = BestPath + ".tmp";
        File.Copy(checkpointPath, temporary, overwrite: true);
        File.Move(temporary, BestPath, overwrite: true);
    }

    /// <summary>The lowest validation loss so far, from <c>best.safetensors</c>, or null when there is none.</summary>
    public double? BestValLoss() =>
        File.Exists(BestPath) ? CheckpointFile.Read(BestPath).Training?.ValLoss : null;

    /// <summary>The checkpoint with the highest step, or null in an empty folder.</summary>
    public string? Newest() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "step-*" + CheckpointFile.Extension).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
}
