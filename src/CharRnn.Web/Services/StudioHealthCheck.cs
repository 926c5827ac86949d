using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CharRnn.Web.Services;

/// <summary><c>/health</c>: the store answers and the training queue is running.</summary>
public sealed class StudioHealthCheck(IDbContextFactory<StudioDbContext> db, TrainingQueue queue) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var store = await db.CreateDbContextAsync(ct);
        if (!await store.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("The store does not answer.");
        return queue.ExecuteTask is { IsCompleted: false } ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The training queue is not running.");
    }
}
