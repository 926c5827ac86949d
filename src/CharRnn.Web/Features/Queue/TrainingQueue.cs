using System.Collections.Concurrent;
using CharRnn.Training.Devices;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Features.Sweeps;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Starts queued runs in order, one per device at a time (or up to a sweep's concurrency of that sweep's trials), each
/// on a thread of its own. At start-up a run left <c>running</c> by a crash or restart becomes <c>interrupted</c>;
/// resuming it queues it again and it continues from its newest checkpoint; a trial of a sweep that goes on is queued
/// again at once. On shutdown, runs in progress save a checkpoint and become <c>interrupted</c>.
/// </summary>
public sealed class TrainingQueue(IDbContextFactory<StudioDbContext> db, RunExecutor executor, DataFolder folder,
    Microsoft.Extensions.Options.IOptions<StudioOptions> studio, SlurmExecutor slurm, ILogger<TrainingQueue> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<int, ActiveRun> _active = new();
    private readonly ConcurrentDictionary<int, Task> _threads = new();
    private readonly ConcurrentDictionary<int, (TrainingDevice Device, int? SweepId)> _starting = new(); // run id → where and whose, while it is being claimed

    /// <summary>Asks the queue to look for work now (a run was queued or resumed).</summary>
    public void Wake()
    {
        _wake.Release();
        slurm.Wake();
    }

    public ActiveRun? Active(int runId) => _active.GetValueOrDefault(runId);

    /// <summary>
    /// True while this instance is starting or training the run: between claiming it (it is then marked running) and
    /// its end. A run marked running by this instance that is not busy here stopped without its end being recorded.
    /// </summary>
    public bool Busy(int runId) => _active.ContainsKey(runId) || _starting.ContainsKey(runId);

    /// <summary>The runs training now.</summary>
    public IReadOnlyCollection<ActiveRun> Training => _active.Values.ToList();

    /// <summary>
    /// True while a run trains on <paramref name="device"/>, from the moment it is claimed:
    /// it shows as running before its trainer is built, and timing steps then would compete with it all the same.
    /// </summary>
    public bool IsTraining(TrainingDevice device) => Occupants(device).Any();

    /// <summary>The sweep of each run training or starting on <paramref name="device"/> (null for a run of no sweep).</summary>
    private IEnumerable<int?> Occupants(TrainingDevice device) =>
        _active.Values.Where(a => a.Device == device).Select(a => a.SweepId).Concat(_starting.Values.Where(s => s.Device == device).Select(s => s.SweepId));

    /// <summary>Cancels a run in progress; it stops after its current step and keeps a checkpoint.</summary>
    public bool Cancel(int runId)
    {
        if (!_active.TryGetValue(runId, out var run)) return false;
        run.Cancel(byUser: true);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await MarkInterruptedAsync(stopping);
        while (!stopping.IsCancellationRequested)
        {
            try { await StartQueuedRunsAsync(stopping); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "The training queue failed to start a run"); }
            try { await _wake.WaitAsync(TimeSpan.FromSeconds(5), stopping); }
            catch (OperationCanceledException) { break; }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var run in _active.Values) run.Cancel(byUser: false);
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_threads.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task MarkInterruptedAsync(CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        // Only this instance's runs: others sharing the store (PostgreSQL) may be training theirs right now.
        var me = studio.Value.InstanceName;
        var stale = await context.Runs.Where(r => r.Status == RunStatus.Running && (r.TrainedBy == null || r.TrainedBy == me)).ToListAsync(ct);
        foreach (var run in stale)
        {
            run.Status = RunStatus.Interrupted;
            run.Error = RunExecutor.InterruptedError;
            log.LogInformation("Run {RunId} was training when the server stopped: now interrupted", run.Id);
        }
        await context.SaveChangesAsync(ct); // the query below reads the store
        // Interrupted trials of sweeps that go on (by a crash, or a shutdown that stopped them with a checkpoint) continue.
        var trials = await context.Runs.Where(r => r.Status == RunStatus.Interrupted && r.SweepId != null && (r.TrainedBy == null || r.TrainedBy == me)).ToListAsync(ct);
        foreach (var run in trials)
            if (await RunLife.RequeueTrialAsync(context, run, ct)) log.LogInformation("Run {RunId} is a trial of sweep {SweepId}: queued again", run.Id, run.SweepId);
        await context.SaveChangesAsync(ct);
        // Only the folders of runs nothing trains now: another instance sharing the data folder may be writing its runs' files.
        var busy = await context.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync(ct);
        foreach (var (file, error) in folder.DeleteHalfWrittenFiles(busy.ToHashSet()))
            if (error is null) log.LogInformation("Deleted {File}, left half-written by a crash", file);
            else log.LogWarning(error, "Could not delete {File}", file);
    }

    private async Task StartQueuedRunsAsync(CancellationToken ct)
    {
        if (studio.Value.Executor == RunExecutors.Slurm) return; // Slurm's jobs train them (SlurmExecutor)
        await using var context = await db.CreateDbContextAsync(ct);
        var queued = await context.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).ToListAsync(ct);
        var concurrency = SweepConcurrency.Read(context, queued);
        foreach (var run in queued)
        {
            var device = TrainingDevices.Here(run.Options.Device);
            if (!concurrency.HasRoom(run, Occupants(device).ToList())) continue;
            _starting[run.Id] = (device, run.SweepId);
            ActiveRun? active;
            try
            {
                active = await executor.PrepareAsync(run.Id, device, ct);
                if (active is null) continue; // another instance sharing the store took it first
                _active[run.Id] = active;
            }
            finally { _starting.TryRemove(run.Id, out _); }
            _threads[run.Id] = Task.Factory.StartNew(() =>
            {
                try { executor.Execute(active); }
                finally
                {
                    _active.TryRemove(run.Id, out _);
                    _threads.TryRemove(run.Id, out _);
                    Wake();
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }
}
