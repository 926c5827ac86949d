using CharRnn.Web.Features.Operations;
using CharRnn.Web.Features.Runs;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary>
/// <c>/hubs/training</c>: <c>Watch(runId)</c> joins the run's group and returns everything so far; the server
/// then sends <c>Progress</c>, <c>Evaluated</c>, <c>CheckpointSaved</c> and <c>StatusChanged</c>
/// (see <see cref="TrainingHubForwarder"/>). A metric may arrive both in the snapshot and live: keep one per step.
/// </summary>
public sealed class TrainingHub(RunHistory history, StudioMetrics watchers) : Hub
{
    public static string Group(int runId) => $"run-{runId}";

    /// <remarks>
    /// A long history comes thinned for drawing (<see cref="RunSnapshot.TotalMetrics"/> says how many there are); every
    /// point stays downloadable from <c>GET /api/runs/{id}/metrics</c>, a page at a time with <c>after</c> and <c>take</c>.
    /// </remarks>
    public async Task<RunSnapshot> Watch(int runId)
    {
        (await history.FindAsync(runId)).OrThrow();
        // Join first, then read: a point published in between arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
        watchers.Watching(Context.ConnectionId, true);
        return (await history.SnapshotAsync(runId)).OrThrow();
    }

    public Task Unwatch(int runId)
    {
        watchers.Watching(Context.ConnectionId, false);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watchers.Gone(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
