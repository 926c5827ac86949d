using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Checkpoints;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Checkpoints;

/// <summary>A checkpoint's file to download: on disk as written (<see cref="Path"/>), or converted in memory (<see cref="Bytes"/>).</summary>
public sealed record CheckpointDownload(string FileName, string? Path, byte[]? Bytes, DateTime LastModified, long Length);

/// <summary>The checkpoints the store lists, and their files in our format or the notebook's.</summary>
public sealed class CheckpointFiles(IDbContextFactory<StudioDbContext> db, DataFolder folder)
{
    public const string SafeTensors = "safetensors";
    public const string PyTorch = "pytorch";

    /// <summary>Every checkpoint (of one run, when given), by run and step, each with the state of its file.</summary>
    public async Task<IReadOnlyList<CheckpointDto>> ListAsync(int? runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var query = context.Checkpoints.AsQueryable();
        if (runId is not null) query = query.Where(c => c.RunId == runId);
        var list = await query.OrderBy(c => c.RunId).ThenBy(c => c.Step).ToListAsync(ct);
        return list.Select(c => c.ToDto(folder.StateOf(c))).ToList();
    }

    /// <summary>The file of checkpoint <paramref name="id"/> in <paramref name="format"/> (<see cref="SafeTensors"/>, ours, or <see cref="PyTorch"/>, the notebook's).</summary>
    public async Task<Result<CheckpointDownload>> DownloadAsync(int id, string format, CancellationToken ct = default)
    {
        if (format is not (SafeTensors or PyTorch)) return Failure.Invalid($"Unknown format '{format}': use {SafeTensors} or {PyTorch}.");
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Checkpoints.FindAsync([id], ct) is not { } record) return Failure.NotFound($"There is no checkpoint {id}.");
        var file = new FileInfo(folder.Absolute(record.RelativePath));
        if (!file.Exists) return Failure.NotFound($"The file of checkpoint {id} is missing from the data folder.");
        var baseName = record.RunId is { } runId ? $"run{runId}-step{record.Step}" : $"checkpoint{record.Id}";
        if (format == SafeTensors) return new CheckpointDownload(baseName + CheckpointFile.Extension, file.FullName, null, file.LastWriteTimeUtc, file.Length);
        try
        {
            using var buffer = new MemoryStream();
            NotebookCheckpoint.Write(buffer, CheckpointFile.Read(file.FullName));
            return new CheckpointDownload(baseName + ".net", null, buffer.ToArray(), file.LastWriteTimeUtc, buffer.Length);
        }
        catch (CheckpointFormatException e) { return Failure.Conflict($"The file of checkpoint {id} is damaged: {e.Message}"); }
    }
}
