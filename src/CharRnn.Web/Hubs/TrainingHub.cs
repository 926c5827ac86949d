using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Hubs;

/// <summary>
/// <c>/hubs/training</c>: <c>Watch(runId)</c> joins the run's group and returns everything so far; the server
/// then sends <c>Progress</c>, <c>Evaluated</c>, <c>CheckpointSaved</c> and <c>StatusChanged</c>
/// (see <see cref="TrainingHubForwarder"/>). A metric may arrive both in the snapshot and live: keep one per step.
/// </summary>
public sealed class TrainingHub(IDbContextFactory<StudioDbContext> db, RunHistory history) : Hub
{
    public static string Group(int runId) => $"run-{runId}";

    public async Task<RunSnapshot> Watch(int runId)
    {
        // Join first, then read: a point published in between arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
        await using var context = await db.CreateDbContextAsync();
        var run = await context.Runs.FindAsync(runId) ?? throw new HubException($"There is no run {runId}.");
        return new RunSnapshot(RunDto.From(run), await history.MetricsAsync(runId));
    }

    public Task Unwatch(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
}
