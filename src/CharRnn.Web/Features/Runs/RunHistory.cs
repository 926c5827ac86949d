using CharRnn.Web.Data;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Runs;

/// <summary>Every metric of a run so far: from memory while it trains (nothing waits for the next database write), else from the store.</summary>
public sealed class RunHistory(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, RelayedRunMetrics relayed)
{
    /// <summary>Most points a snapshot carries: a 100,000-step run's history would be a message of many megabytes.</summary>
    public const int MaxSnapshotPoints = 2000;

    public Task<IReadOnlyList<MetricDto>> MetricsAsync(int runId, CancellationToken ct = default) => MetricsAsync(runId, null, null, ct);

    /// <summary>The metrics after step <paramref name="after"/>, at most <paramref name="take"/> of them (null: from the start, all).</summary>
    public async Task<IReadOnlyList<MetricDto>> MetricsAsync(int runId, long? after, int? take, CancellationToken ct = default)
    {
        if (queue.Active(runId) is { } active)
            return active.Metrics.Snapshot().Where(m => m.Step > (after ?? long.MinValue)).Take(take ?? int.MaxValue).ToList();
        await using var context = await db.CreateDbContextAsync(ct);
        var query = context.Metrics.Where(m => m.RunId == runId && m.Step > (after ?? long.MinValue)).OrderBy(m => m.Step).AsQueryable();
        if (take is { } count) query = query.Take(count);
        var stored = (await query.ToListAsync(ct)).Select(m => m.ToDto()).ToList();
        // Trained by another instance: the steps since its last write to the store came through Redis.
        if (stored.Count < (take ?? int.MaxValue))
            stored.AddRange(relayed.After(runId, stored.Count > 0 ? stored[^1].Step : after ?? long.MinValue).Take((take ?? int.MaxValue) - stored.Count));
        return stored;
    }

    /// <summary>A page of a run's metrics for the API: not found for no such run, invalid for a page size below 1.</summary>
    public async Task<Result<IReadOnlyList<MetricDto>>> PageAsync(int runId, long? after, int? take, CancellationToken ct = default)
    {
        if (take is < 1) return Failure.Invalid($"take must be at least 1; it was {take}.");
        var run = await FindAsync(runId, ct);
        if (!run.Ok) return run.Failure!;
        return Result<IReadOnlyList<MetricDto>>.Success(await MetricsAsync(runId, after, take, ct));
    }

    /// <summary>
    /// The run and its metrics so far, for a watcher who joins now: a long history comes thinned for drawing
    /// (<see cref="RunSnapshot.TotalMetrics"/> says how many there are); every point stays downloadable from the API.
    /// </summary>
    public async Task<Result<RunSnapshot>> SnapshotAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct) is not { } run) return RunService.NoSuchRun(runId);
        var metrics = await MetricsAsync(runId, ct);
        return new RunSnapshot(run.ToDto(), MetricThinning.Thin(metrics, MaxSnapshotPoints), metrics.Count);
    }

    /// <summary>Done when the run exists, else not found.</summary>
    public async Task<Result> FindAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Runs.AnyAsync(r => r.Id == runId, ct) ? Result.Done : RunService.NoSuchRun(runId);
    }
}
