using CharRnn.Training.Checkpoints;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Settings;

namespace CharRnn.Web.Features.Checkpoints;

/// <summary>
/// Which of a run's checkpoints to keep: the one with the lowest validation loss, and the newest
/// <see cref="StudioOptions.KeepCheckpoints"/> (the newest among them, which a resume continues from). The notebook's
/// 20 epochs evaluate 278 times; at 40 MB a checkpoint with its optimizer state, keeping all would take 11 GB.
/// </summary>
public static class CheckpointRetention
{
    /// <summary>The checkpoints of one run to delete, oldest first.</summary>
    public static IReadOnlyList<CheckpointRecord> ToDelete(IReadOnlyList<CheckpointRecord> runCheckpoints, int keepNewest)
    {
        var best = runCheckpoints.Where(c => c.ValLoss is not null).MinBy(c => c.ValLoss);
        var newest = runCheckpoints.OrderByDescending(c => c.Step).Take(Math.Max(1, keepNewest)).ToHashSet();
        return runCheckpoints.Where(c => !newest.Contains(c) && c != best).OrderBy(c => c.Step).ToList();
    }

    /// <summary>Deletes a checkpoint's file and its optimizer state beside it.</summary>
    public static void DeleteFiles(DataFolder folder, CheckpointRecord record)
    {
        var path = folder.Absolute(record.RelativePath);
        File.Delete(path);
        File.Delete(RunCheckpoints.OptimizerPathFor(path));
    }
}
