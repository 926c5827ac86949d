using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Features.Sweeps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Cluster;

/// <summary>
/// With <c>CharRnn:Executor=Slurm</c>: submits each queued run as a batch job running <c>worker RUN_ID</c> (sbatch,
/// <c>--requeue</c> so that a lost node's job runs again and resumes, <c>--gres=gpu:1</c> for a run that asks for
/// <c>cuda</c>, whatever the web host's own hardware), stores the
/// job id on the run, and reads the jobs' states (squeue) for the run page, with Slurm's reason while one waits. A run
/// whose job ended without the worker recording its end (killed, out of time) becomes interrupted (a sweep's trial is
/// queued again for a new job). A sweep's trials are submitted at most its concurrency at a time. The web app never
/// trains in this mode; several instances may run this, and each run is submitted once.
/// </summary>
public sealed class SlurmExecutor(IDbContextFactory<StudioDbContext> db, DataFolder folder, IOptionsMonitor<StudioOptions> studio,
    IServiceProvider services, ILogger<SlurmExecutor> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<int, int> _missing = [];

    public void Wake() => _wake.Release();

    private bool Enabled => studio.CurrentValue.Executor == RunExecutors.Slurm;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!Enabled) return;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await SubmitQueuedAsync(stopping);
                await RefreshAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "The Slurm executor failed a round"); }
            try { await _wake.WaitAsync(TimeSpan.FromSeconds(studio.CurrentValue.Slurm.PollSeconds), stopping); }
            catch (OperationCanceledException) { break; }
        }
    }

    private async Task SubmitQueuedAsync(CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var queued = await context.Runs.Where(r => r.Status == RunStatus.Queued && r.JobId == null).OrderBy(r => r.Id).ToListAsync(ct);
        var sweepIds = queued.Select(r => r.SweepId).OfType<int>().Distinct().ToList();
        var concurrency = SweepConcurrency.Read(context, queued);
        // A sweep's trials with a job now (pending or running): Slurm runs what it is given, so at most the sweep's concurrency is given.
        var submitted = await context.Runs.Where(r => r.SweepId != null && sweepIds.Contains(r.SweepId.Value) && r.JobId != null
                && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .GroupBy(r => r.SweepId!.Value).ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
        foreach (var run in queued)
        {
            // Slurm schedules the other runs itself; a sweep's trials take the same rule as on one device.
            if (run.SweepId is { } sweepId)
            {
                if (!concurrency.HasRoom(run, Enumerable.Repeat(run.SweepId, submitted.GetValueOrDefault(sweepId)).ToList())) continue;
                submitted[sweepId] = submitted.GetValueOrDefault(sweepId) + 1;
            }
            // Claim the submission, so that of several instances exactly one submits it.
            var mark = SubmittingMark + studio.CurrentValue.InstanceName;
            if (await context.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Queued && r.JobId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.JobId, mark), ct) == 0) continue;
            var (jobId, error) = await SubmitAsync(run, ct);
            await context.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s =>
            {
                if (error is null) s.SetProperty(r => r.JobId, jobId).SetProperty(r => r.JobState, "PENDING").SetProperty(r => r.JobReason, (string?)null);
                else s.SetProperty(r => r.JobId, (string?)null).SetProperty(r => r.Status, RunStatus.Failed).SetProperty(r => r.Error, error)
                    .SetProperty(r => r.FinishedAt, DateTime.UtcNow);
            }, ct);
            if (error is null) log.LogInformation("Run {RunId} submitted to Slurm as job {JobId}", run.Id, jobId);
            else log.LogWarning("Run {RunId} could not be submitted to Slurm: {Error}", run.Id, error);
        }
    }

    private async Task<(string? JobId, string? Error)> SubmitAsync(Run run, CancellationToken ct)
    {
        var slurm = studio.CurrentValue.Slurm;
        var logs = Path.Combine(folder.Root, "slurm");
        Directory.CreateDirectory(logs);
        var arguments = new List<string>
        {
            "--parsable", $"--job-name={(run.SweepId is { } sweep ? $"charrnn-sweep-{sweep}-" : "charrnn-")}run-{run.Id}", "--requeue",
            $"--output={Path.Combine(logs, $"run-{run.Id}-%j.log")}",
        };
        if (slurm.Partition is { Length: > 0 } partition) arguments.Add($"--partition={partition}");
        if (AsksForGpu(run.Options.Device)) arguments.Add("--gres=gpu:1");
        if (slurm.ExtraArguments is { Length: > 0 } extra) arguments.AddRange(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        arguments.Add($"--wrap={WorkerCommand(slurm)} worker {run.Id}");
        // The job gets what it needs through its environment (sbatch exports its own), not its command line, which
        // squeue and scontrol show to everyone: the store's password stays out of sight.
        var configuration = services.GetRequiredService<IConfiguration>();
        var environment = new Dictionary<string, string?>
        {
            ["CharRnn__DataDirectory"] = folder.Root,
            ["ConnectionStrings__Postgres"] = configuration.GetConnectionString("Postgres"),
            ["ConnectionStrings__Redis"] = configuration.GetConnectionString("Redis"),
        };
        var (exit, output, error) = await SlurmCommand.RunAsync("sbatch", arguments, environment, ct);
        return exit == 0 && output.Trim().Split(';')[0] is { Length: > 0 } id ? (id, null) : (null, $"sbatch failed ({exit}): {error.Trim()} {output.Trim()}".Trim());
    }

    private static string WorkerCommand(SlurmOptions slurm) =>
        slurm.WorkerCommand is { Length: > 0 } command ? command : CommandStarting(typeof(SlurmExecutor).Assembly);

    /// <summary>
    /// The command that starts a program the way this process was started: <c>"/usr/bin/dotnet" "/srv/charrnn/CharRnn.Web.dll"</c>,
    /// or its own executable (<c>"/srv/charrnn/CharRnn.Web"</c>, as <c>dotnet run</c> starts it), which takes the arguments itself.
    /// </summary>
    public static string CommandStarting(System.Reflection.Assembly program)
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"\"{process}\" \"{program.Location}\"" : $"\"{process}\"";
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var runs = await context.Runs.Where(r => r.JobId != null && !r.JobId.StartsWith(SubmittingMark)
            && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)).ToListAsync(ct);
        if (runs.Count == 0) return;
        var (exit, output, error) = await SlurmCommand.RunAsync("squeue", ["-h", "-t", "all", "-o", "%i|%T|%r", "-j", string.Join(",", runs.Select(r => r.JobId))], null, ct);
        if (exit != 0 && !error.Contains("Invalid job id")) { log.LogWarning("squeue failed ({Exit}): {Error}", exit, error.Trim()); return; }
        var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(p => p.Length == 3)
            .ToDictionary(p => p[0].Trim(), p => (State: p[1].Trim(), Reason: p[2].Trim()));
        foreach (var run in runs)
        {
            if (states.TryGetValue(run.JobId!, out var job) && job.State is not ("COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" or "BOOT_FAIL" or "DEADLINE" or "PREEMPTED"))
            {
                _missing.Remove(run.Id);
                run.JobState = job.State;
                run.JobReason = job.State == "PENDING" && job.Reason != "None" ? job.Reason : null;
                continue;
            }
            // Gone, or ended, while the run is not recorded as ended: after a second look, interrupted (resumable).
            if ((_missing[run.Id] = _missing.GetValueOrDefault(run.Id) + 1) < 3) continue;
            _missing.Remove(run.Id);
            var ended = states.TryGetValue(run.JobId!, out var last) ? last.State : "gone";
            run.Status = RunStatus.Interrupted;
            run.JobState = ended;
            run.Error = $"Slurm job {run.JobId} ended ({ended}) before the run finished. Resume it to continue from its newest checkpoint.";
            run.FinishedAt = DateTime.UtcNow;
            log.LogWarning("Run {RunId}: Slurm job {JobId} ended ({State}) before the run finished", run.Id, run.JobId, ended);
            // A trial of a sweep that goes on: a new job continues it from its newest checkpoint.
            if (await RunLife.RequeueTrialAsync(context, run, ct)) log.LogInformation("Run {RunId} is a trial of sweep {SweepId}: queued again", run.Id, run.SweepId);
        }
        await context.SaveChangesAsync(ct);
    }

    /// <summary>Cancels a job that has not started (a started one is stopped through the run's cancel flag, with a checkpoint).</summary>
    public static async Task<Result> CancelPendingAsync(string jobId, CancellationToken ct)
    {
        var (exit, _, error) = await SlurmCommand.RunAsync("scancel", [jobId], null, ct);
        return exit == 0 ? Result.Done : Failure.Unavailable($"scancel {jobId} failed: {error.Trim()}");
    }

    /// <summary>Whether a run's job asks the cluster for a GPU: it does when the run asks for <c>cuda</c>. <c>auto</c> asks for none (the node decides when it starts).</summary>
    public static bool AsksForGpu(DeviceChoice choice) => choice == DeviceChoice.Cuda;

    /// <summary>What a run's <c>JobId</c> holds while an instance is submitting it, before sbatch answers with the job's id.</summary>
    private const string SubmittingMark = "submitting:";

    /// <summary>Whether a run's <c>JobId</c> is only the mark of a submission under way, not a job yet.</summary>
    public static bool IsSubmitting(string jobId) => jobId.StartsWith(SubmittingMark, StringComparison.Ordinal);
}
