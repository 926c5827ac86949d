using System.Collections.Concurrent;
using CharRnn.Training.Devices;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Starts queued runs in order, one per device at a time, each on a thread of its own. At start-up a run
/// left <c>running</c> by a crash or restart becomes <c>interrupted</c>; resuming it queues it again and
/// it continues from its newest checkpoint. On shutdown, runs in progress save a checkpoint and become
/// <c>interrupted</c>.
/// </summary>
public sealed class TrainingQueue(IDbContextFactory<StudioDbContext> db, RunExecutor executor, DataFolder folder,
    Microsoft.Extensions.Options.IOptions<StudioOptions> studio, SlurmExecutor slurm, ILogger<TrainingQueue> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<int, ActiveRun> _active = new();
    private readonly ConcurrentDictionary<int, Task> _threads = new();
    private readonly ConcurrentDictionary<int, TrainingDevice> _starting = new(); // run id → its device, while it is being claimed

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
    public bool IsTraining(TrainingDevice device) => _active.Values.Any(a => a.Device == device) || _starting.Values.Contains(device);

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
        await context.SaveChangesAsync(ct);
        // Only the folders of runs nothing trains now: another instance sharing the data folder may be writing its runs' files.
        var busy = await context.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToListAsync(ct);
        SweepTemporaryFiles(busy.ToHashSet());
    }

    /// <summary>Writes go to a temporary name and are renamed when whole: after a crash, what is left under such a name is half a file.</summary>
    private void SweepTemporaryFiles(HashSet<int> busy)
    {
        var checkpoints = Path.Combine(folder.Root, "checkpoints");
        if (!Directory.Exists(checkpoints)) return;
        foreach (var file in Directory.EnumerateFiles(checkpoints, "*.tmp", SearchOption.AllDirectories))
        {
            if (int.TryParse(Path.GetFileName(Path.GetDirectoryName(file)), out var runId) && busy.Contains(runId)) continue;
            try { File.Delete(file); log.LogInformation("Deleted {File}, left half-written by a crash", file); }
            catch (IOException e) { log.LogWarning(e, "Could not delete {File}", file); }
        }
    }

    private async Task StartQueuedRunsAsync(CancellationToken ct)
    {
        if (studio.Value.Executor == RunExecutors.Slurm) return; // Slurm's jobs train them (SlurmExecutor)
        await using var context = await db.CreateDbContextAsync(ct);
        var queued = await context.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var run in queued)
        {
            var device = TrainingDevices.Here(run.Options.Device);
            if (IsTraining(device)) continue; // one run per device at a time
            _starting[run.Id] = device;
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
