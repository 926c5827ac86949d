using CharRnn.Inference;
using CharRnn.Training;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Imports a checkpoint trained in the PyTorch notebook: its book unknown, its vocabulary from the file.</summary>
public sealed class CheckpointImporter(IDbContextFactory<StudioDbContext> db, DataFolder folder)
{
    /// <summary>Throws <see cref="CheckpointFormatException"/> for a file that is not the notebook's format; nothing is stored then.</summary>
    public async Task<CheckpointRecord> ImportAsync(Stream file, string fileName, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var checkpoint = NotebookCheckpoint.Read(buffer);
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
        return record;
    }
}
