using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Every metric of a run so far: from memory while it trains (nothing waits for the next database write), else from the store.</summary>
public sealed class RunHistory(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, RelayedRunMetrics relayed)
{
    public Task<IReadOnlyList<MetricDto>> MetricsAsync(int runId, CancellationToken ct = default) => MetricsAsync(runId, null, null, ct);

    /// <summary>The metrics after step <paramref name="after"/>, at most <paramref name="take"/> of them (null: from the start, all).</summary>
    public async Task<IReadOnlyList<MetricDto>> MetricsAsync(int runId, long? after, int? take, CancellationToken ct = default)
    {
        if (queue.Active(runId) is { } active)
            return active.Metrics.Snapshot().Where(m => m.Step > (after ?? long.MinValue)).Take(take ?? int.MaxValue).ToList();
        await using var context = await db.CreateDbContextAsync(ct);
        var query = context.Metrics.Where(m => m.RunId == runId && m.Step > (after ?? long.MinValue)).OrderBy(m => m.Step).AsQueryable();
        if (take is { } count) query = query.Take(count);
        var stored = await query.Select(m => MetricDto.From(m)).ToListAsync(ct);
        // Trained by another instance: the steps since its last write to the store came through Redis.
        if (stored.Count < (take ?? int.MaxValue))
            stored.AddRange(relayed.After(runId, stored.Count > 0 ? stored[^1].Step : after ?? long.MinValue).Take((take ?? int.MaxValue) - stored.Count));
        return stored;
    }
}
