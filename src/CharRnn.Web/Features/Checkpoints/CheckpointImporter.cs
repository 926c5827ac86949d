using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Checkpoints;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Checkpoints;

/// <summary>Imports a checkpoint trained in the PyTorch notebook: its book unknown, its vocabulary from the file.</summary>
public sealed class CheckpointImporter(IDbContextFactory<StudioDbContext> db, DataFolder folder)
{
    /// <summary>The largest notebook file imported (256 MB: its weights are read into memory to be converted).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Stores the checkpoint in our format; a file that is not the notebook's format is refused with the reason, and nothing is stored.</summary>
    public async Task<Result<CheckpointDto>> ImportAsync(Stream file, string fileName, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        Checkpoint checkpoint;
        try { checkpoint = NotebookCheckpoint.Read(buffer); }
        catch (CheckpointFormatException e) { return Failure.Invalid(e.Message); }
        var path = Path.Combine(folder.Imports, $"{Guid.NewGuid():N}{CheckpointFile.Extension}");
        CheckpointFile.Write(path, checkpoint);
        var record = new CheckpointRecord
        {
            RelativePath = folder.Relative(path), SizeBytes = new FileInfo(path).Length, CreatedAt = DateTime.UtcNow,
            Name = Path.GetFileNameWithoutExtension(fileName),
        };
        await using var context = await db.CreateDbContextAsync(ct);
        context.Checkpoints.Add(record);
        await context.SaveChangesAsync(ct);
        return record.ToDto();
    }
}
