using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Every metric of a run so far: from memory while it trains (nothing waits for the next database write), else from the store.</summary>
public sealed class RunHistory(IDbContextFactory<StudioDbContext> db, TrainingQueue queue)
{
    public async Task<IReadOnlyList<MetricDto>> MetricsAsync(int runId, CancellationToken ct = default)
    {
        if (queue.Active(runId) is { } active) return active.Metrics.Snapshot();
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Metrics.Where(m => m.RunId == runId).OrderBy(m => m.Step).Select(m => MetricDto.From(m)).ToListAsync(ct);
    }
}
