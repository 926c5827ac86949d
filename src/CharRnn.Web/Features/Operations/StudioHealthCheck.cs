using CharRnn.Training.Devices;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Operations;

/// <summary>
/// <c>/health</c>: whether the store answers and the training queue runs (either failing makes the app unhealthy),
/// with what a person checking on the server wants next to it: the queue's work, the training device and free disk
/// space (under <c>CharRnn:MinFreeDiskBytes</c> the app is degraded: new runs will not start).
/// </summary>
public sealed class StudioHealthCheck(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, DataFolder folder, IOptionsMonitor<StudioOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object>();
        await using var store = await db.CreateDbContextAsync(ct);
        var storeUp = await store.Database.CanConnectAsync(ct);
        data["store"] = storeUp ? $"{(store.Database.IsSqlite() ? "SQLite" : "PostgreSQL")}: answers" : "does not answer";
        if (storeUp)
            data["queued runs"] = await store.Runs.CountAsync(r => r.Status == RunStatus.Queued, ct);
        var queueUp = queue.ExecuteTask is { IsCompleted: false };
        data["queue"] = queueUp ? "running" : "stopped";
        data["training"] = queue.Training.Select(a => $"run {a.RunId} on {a.Device.Name()}").ToArray();
        data["device"] = TrainingDevices.Here(DeviceChoice.Auto).Describe();
        var free = folder.FreeBytes();
        var minimum = options.CurrentValue.MinFreeDiskBytes; // read live, as the executor does
        data["free disk bytes"] = free ?? -1;
        data["minimum free disk bytes"] = minimum;

        if (!storeUp) return HealthCheckResult.Unhealthy("The store does not answer.", data: data);
        if (!queueUp) return HealthCheckResult.Unhealthy("The training queue is not running.", data: data);
        if (free is { } f && f < minimum)
            return HealthCheckResult.Degraded($"The data folder's disk has {f:N0} bytes free, under CharRnn:MinFreeDiskBytes ({minimum:N0}): runs will not start.", data: data);
        return HealthCheckResult.Healthy("The store answers and the queue runs.", data);
    }
}
