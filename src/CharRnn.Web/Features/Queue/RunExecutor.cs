using System.Text.Json;
using CharRnn.Training.Devices;
using CharRnn.Training.Health;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Features.Sweeps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Trains one run: claims it, builds a <see cref="Trainer"/> from the run's row and book, lets a
/// <see cref="RunRecorder"/> turn its events into rows and broadcasts, and records how the run ended.
/// </summary>
public sealed class RunExecutor(
    IDbContextFactory<StudioDbContext> db, DataFolder folder, TrainingBroadcaster broadcaster,
    IOptionsMonitor<StudioOptions> studio, SweepJudge judge, FineTuneStarts starts, ILogger<RunExecutor> log)
{
    /// <summary>What an interrupted run says: the server (or its job) stopped while it trained.</summary>
    public const string InterruptedError = "The server stopped while this run was training. Resume it to continue from its newest checkpoint.";

    /// <summary>
    /// Claims the queued run for this instance and marks it running, and loads its metrics so far (a resumed run keeps
    /// its history); null when it is no longer queued (another instance sharing the store claimed it first).
    /// </summary>
    /// <param name="worker">
    /// A <c>worker</c> process's name (<c>slurm:JOB</c>): it may also take back the run it was training when Slurm
    /// requeued its job (running or interrupted under that name), but only the run whose job it is.
    /// </param>
    public async Task<ActiveRun?> PrepareAsync(int runId, TrainingDevice device, CancellationToken ct, string? worker = null, string? jobId = null)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var me = worker ?? studio.CurrentValue.InstanceName;
        var claimable = worker is null
            ? context.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            : context.Runs.Where(r => r.Id == runId && (jobId == null || r.JobId == null || r.JobId == jobId)
                && (r.Status == RunStatus.Queued || ((r.Status == RunStatus.Running || r.Status == RunStatus.Interrupted) && r.TrainedBy == me)));
        // One conditional update: of several instances polling the same queue, exactly one wins.
        var claimed = await claimable.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.TrainedBy, me).SetProperty(r => r.CancelRequested, false), ct);
        if (claimed == 0) return null;
        var run = await context.Runs.SingleAsync(r => r.Id == runId, ct);
        // A run that died without saving (a crash) resumes from its newest checkpoint: forget the steps after it.
        var resumeStep = await context.Checkpoints.Where(c => c.RunId == runId).MaxAsync(c => (long?)c.Step, ct) ?? 0;
        await context.Metrics.Where(m => m.RunId == runId && m.Step > resumeStep).ExecuteDeleteAsync(ct);
        run.Step = resumeStep;
        var history = await context.Metrics.Where(m => m.RunId == runId).OrderBy(m => m.Step).ToListAsync(ct);
        run.Status = RunStatus.Running;
        run.StartedAt ??= DateTime.UtcNow;
        run.FinishedAt = null;
        run.Error = null;
        run.Device = device.Name();
        run.Precision = TrainingPrecisions.Here(run.Options.Precision, device).Name();
        await context.SaveChangesAsync(ct);
        broadcaster.Publish(new StatusChangedEvent(runId, RunStatus.Running, null));
        return new ActiveRun(runId, device, new MetricLog(history.Select(m => m.ToDto())), run.SweepId);
    }

    /// <summary>Runs on the queue's thread for this run, until the run ends; never throws.</summary>
    public void Execute(ActiveRun active)
    {
        var runId = active.RunId;
        try
        {
            using var context = db.CreateDbContext();
            var run = context.Runs.Single(r => r.Id == runId);
            var book = context.Books.Single(b => b.Id == run.BookId);
            var text = File.ReadAllText(folder.BookPath(book.FileName));
            var runOptions = run.Options;
            var threads = studio.CurrentValue.ThreadsFor(runOptions, SweepConcurrency.Read(context, [run]).Of(run));
            var directory = folder.RunCheckpoints(runId);
            // A sweep's trial is evaluated on the whole split at its rungs, where the judge sets it beside the others and may stop it.
            // A fine-tune grows its start's alphabet the same way each time, so a resumed one reads its own checkpoints.
            var trainer = starts.For(context, run, runOptions) is { } start
                ? Trainer.FineTune(text, start, runOptions with { Threads = threads }, directory, runId.ToString())
                : new Trainer(text, runOptions with { Threads = threads }, directory, runId.ToString());
            trainer.WholeSplitSteps = judge.RungSteps(run);
            trainer.AlsoEvaluateOn = EvaluationBooks.Splits(context, folder, run, trainer.Vocabulary, trainer.Options);
            if (run.SweepId is not null)
                trainer.Evaluated += e => { if (e.WholeSplit && judge.Judge(runId, e.Step, e.ValLoss) is { GoesOn: false } stop) active.StopEarly(stop.Reason!, e.Step); };
            // Resume from the newest checkpoint the store lists: PrepareAsync kept the metrics up to exactly that step.
            var newest = context.Checkpoints.Where(c => c.RunId == runId).OrderByDescending(c => c.Step).FirstOrDefault();
            var resumeFrom = newest is null ? null : folder.Absolute(newest.RelativePath);

            // Health first: the recorder's broadcast of each step then carries the warning as it stands.
            var health = new HealthMonitor(runOptions, trainer.TotalSteps, book.FrequencyLoss ?? CharacterFrequencies.OfBook(text), studio.CurrentValue.Health);
            health.Attach(trainer);
            // The warning's numbers move with every step: written when the condition changes, and at most once a second between.
            var healthClock = System.Diagnostics.Stopwatch.StartNew();
            HealthCondition? recorded = null;
            void Record<T>(T _)
            {
                if (health.Current?.Condition == recorded && (recorded is null || healthClock.Elapsed < TimeSpan.FromSeconds(1))) return;
                recorded = health.Current?.Condition;
                healthClock.Restart();
                run.HealthJson = health.Current is { } now ? JsonSerializer.Serialize(now, ContractsJson.Options) : null;
            }
            trainer.StepCompleted += Record;
            trainer.Evaluated += Record;
            health.Changed += now => log.LogInformation("Run {RunId}: {Health}", runId, now?.Detail ?? "healthy again");
            // A run stuck past its setting (off by default, on for a sweep's trials) stops as stopped, with the reason on its row.
            trainer.StepCompleted += s => { if (active.StopReason is null && health.StopReason(s.Step, sweepTrial: run.SweepId is not null) is { } reason) active.StopEarly(reason, s.Step); };

            var recorder = new RunRecorder(context, run, runOptions, active, folder, broadcaster, studio.CurrentValue.KeepCheckpoints,
                afterFlush: () => { StopIfDiskIsLow(active); StopIfCancelledElsewhere(context, active); });
            recorder.Attach(trainer);

            run.TotalSteps = trainer.TotalSteps;
            TrainingResult result;
            try { result = trainer.Run(active.Token, resumeFrom); }
            catch (TrainingDivergedException)
            {
                recorder.Flush(); // the good steps before it stay in the history
                throw;
            }
            recorder.Flush();
            if (active.StopReason is { } stopReason) (run.StopReason, run.StoppedAtStep) = (stopReason, active.StoppedAtStep);
            run.Status = result.Outcome switch
            {
                TrainingOutcome.Cancelled when active.FailureReason is not null => RunStatus.Failed,
                TrainingOutcome.Cancelled when active.StopReason is not null => RunStatus.Stopped,
                TrainingOutcome.Cancelled when active.CancelledByUser => RunStatus.Cancelled,
                TrainingOutcome.Cancelled => RunStatus.Interrupted,
                _ => RunStatus.Completed,
            };
            run.EtaSeconds = run.Status == RunStatus.Completed ? 0 : run.EtaSeconds;
            Finish(context, run, active.FailureReason);
        }
        catch (Exception e)
        {
            log.LogError(e, "Run {RunId} failed", runId);
            RecordFailure(runId, e.Message);
        }
    }

    /// <summary>A cancel that reached another instance sharing the store (or the web app, for a Slurm job) sets the run's flag: stop as if cancelled here.</summary>
    private static void StopIfCancelledElsewhere(StudioDbContext context, ActiveRun active)
    {
        if (context.Runs.Where(r => r.Id == active.RunId).Select(r => r.CancelRequested).Single()) active.Cancel(byUser: true);
    }

    /// <summary>Stops the run as failed, keeping a checkpoint, when the data folder's disk gets short of the free space runs need.</summary>
    private void StopIfDiskIsLow(ActiveRun active)
    {
        var needed = studio.CurrentValue.MinFreeDiskBytes;
        if (folder.FreeBytes() is { } free && free < needed)
            active.Fail($"The data folder's disk fell to {free / 1e9:N1} GB free, under the {needed / 1e9:N1} GB runs need (CharRnn:MinFreeDiskBytes): "
                + "the run stopped with a checkpoint. Free some space, then resume it.");
    }

    /// <summary>
    /// Marks the run failed, trying a few times (a locked or full database may recover). If it cannot, the run stays
    /// marked running while nothing trains it: resume and delete treat such a run as stopped, and the next start marks it
    /// interrupted. The failure path never throws.
    /// </summary>
    private void RecordFailure(int runId, string error)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                using var context = db.CreateDbContext();
                var run = context.Runs.Single(r => r.Id == runId);
                run.Status = RunStatus.Failed;
                Finish(context, run, error);
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Could not record that run {RunId} failed (attempt {Attempt} of 3)", runId, attempt);
                Thread.Sleep(500 * attempt);
            }
        }
    }

    private void Finish(StudioDbContext context, Run run, string? error)
    {
        run.FinishedAt = DateTime.UtcNow;
        run.Error = error ?? (run.Status == RunStatus.Interrupted ? InterruptedError : null);
        context.SaveChanges();
        broadcaster.Publish(new StatusChangedEvent(run.Id, run.Status, run.Error));
    }
}
