using System.Collections.Concurrent;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Checkpoints;

/// <summary>
/// Checkpoints read into the inference engine's prepared weights, once per checkpoint and shared by every sampler and
/// scorer: a 2×512 model's file is read and laid out in about a tenth of a second, and a comparison asks for it often.
/// </summary>
public sealed class CheckpointWeights(IDbContextFactory<StudioDbContext> db, DataFolder folder, IOptions<StudioOptions> options)
{
    /// <summary>Prepared weights kept at once (a 2×512 model takes about 13 MB): enough for a comparison, bounded for a long-lived server.</summary>
    private const int Cached = 8;

    private readonly ConcurrentDictionary<int, Lazy<LstmWeights>> _weights = new();

    /// <summary>The prepared weights of a checkpoint; not found when the store has no such checkpoint or its file is gone, a conflict when the file is damaged.</summary>
    public async Task<Result<LstmWeights>> GetAsync(int checkpointId, CancellationToken ct)
    {
        if (!_weights.TryGetValue(checkpointId, out var lazy))
        {
            await using var context = await db.CreateDbContextAsync(ct);
            var record = await context.Checkpoints.FindAsync([checkpointId], ct);
            if (record is null) return Failure.NotFound($"There is no checkpoint {checkpointId}.");
            var path = folder.Absolute(record.RelativePath);
            if (_weights.Count >= Cached) _weights.Clear(); // samplers under way keep the weights they hold
            if (!File.Exists(path)) return Failure.NotFound($"The file of checkpoint {checkpointId} is missing from the data folder: {record.RelativePath} is not there.");
            lazy = _weights.GetOrAdd(checkpointId, _ => new Lazy<LstmWeights>(() => new LstmWeights(CheckpointFile.Read(path), options.Value.SamplingPrecision)));
        }
        try { return lazy.Value; }
        catch (CheckpointFormatException e)
        {
            _weights.TryRemove(new(checkpointId, lazy)); // a repaired file is read again
            return Failure.Conflict($"The file of checkpoint {checkpointId} is damaged: {e.Message}");
        }
    }
}
