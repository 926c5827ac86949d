using CharRnn.Inference.Sampling;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Runs;

/// <summary>Lists, creates, estimates, cancels, resumes and deletes runs: what the pages and the REST API both do.</summary>
public sealed class RunService(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, DataFolder folder, IOptions<StudioOptions> studio,
    RunRules rules, RunDevices devices, TrainingEstimator estimator, FineTuneStarts starts)
{
    public async Task<IReadOnlyList<RunDto>> ListAsync(CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return (await context.Runs.OrderByDescending(r => r.Id).ToListAsync(ct)).Select(r => r.ToDto()).ToList();
    }

    public async Task<Result<RunDto>> GetAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Runs.FindAsync([runId], ct) is { } run ? run.ToDto() : NoSuchRun(runId);
    }

    /// <summary>Queues a run; refuses it with every problem when the options do not fit the book or this server.</summary>
    public async Task<Result<RunDto>> CreateAsync(CreateRunRequest request, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([request.BookId], ct) is not { } book) return Failure.Invalid($"There is no book {request.BookId}.");
        var (options, problems, start) = await CheckAsync(context, request, book, ct);
        var others = options is null ? default : await EvaluationBooks.CheckAsync(context, request.AlsoEvaluateOn, book, options, start?.SourceBookId, ct);
        if (others.Failure is { } otherProblem) problems = [.. problems, otherProblem.Detail];
        if (DiskProblem() is { } disk) problems = [.. problems, disk];
        if (NameProblem(request.Name) is { } name) problems = [.. problems, name];
        if (problems.Count > 0) return Failure.Invalid(problems);

        options = options! with { Seed = options.Seed ?? SeededRandom.NewSeed() };
        var run = NewRun(book, options, string.IsNullOrWhiteSpace(request.Name) ? $"{book.Name} {options.Layers}×{options.Hidden}" : request.Name.Trim());
        if (start is not null) FineTuneStarts.RecordLineage(run, start);
        run.AlsoEvaluatedOn = others.Value;
        // One transaction: no instance claims a fine-tune before the copy of its start is in place.
        await using (var transaction = await context.Database.BeginTransactionAsync(ct))
        {
            context.Runs.Add(run);
            await context.SaveChangesAsync(ct);
            if (start is not null) starts.Keep(run, start);
            await transaction.CommitAsync(ct);
        }
        queue.Wake();
        return run.ToDto();
    }

    /// <summary>A queued run of checked options (seed filled in) on the book, not yet added to the store.</summary>
    internal Run NewRun(Book book, TrainingOptions options, string name) => new()
    {
        BookId = book.Id,
        Name = name,
        Status = RunStatus.Queued,
        OptionsJson = TrainingJson.Write(options),
        TotalSteps = options.TotalSteps(book.Characters),
        Device = devices.Planned(options.Device).Name(),
        Precision = devices.PlannedPrecision(options).Name(),
        CreatedAt = DateTime.UtcNow,
    };

    /// <summary>Why a run's or a sweep's name is refused (too long), or null.</summary>
    internal string? NameProblem(string? name) => name is { Length: var length } && length > studio.Value.Limits.MaxNameCharacters
        ? $"The name is {length:N0} characters; the limit is {studio.Value.Limits.MaxNameCharacters:N0} ({StudioLimits.Raise(nameof(StudioLimits.MaxNameCharacters))})."
        : null;

    /// <summary>Why no run may start now whatever its options (the data folder's disk is short of space), or null.</summary>
    internal string? DiskProblem() => folder.FreeBytes() is { } free && free < studio.Value.MinFreeDiskBytes
        ? $"The data folder's disk has {free / 1e9:N1} GB free; a run starts with at least {studio.Value.MinFreeDiskBytes / 1e9:N1} GB "
            + "(free some space, delete old runs, or lower the setting CharRnn:MinFreeDiskBytes)."
        : null;

    /// <summary>How long a run with these options would take on this server; times a few steps of the model first if it has not yet.</summary>
    public async Task<Result<RunEstimate>> EstimateAsync(CreateRunRequest request, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([request.BookId], ct) is not { } book) return Failure.NotFound($"There is no book {request.BookId}.");
        var (options, problems, start) = await CheckAsync(context, request, book, ct);
        if (problems.Count > 0) return Failure.Invalid(problems);
        return await estimator.EstimateAsync(options!, book.Characters, start?.AlphabetSize ?? book.AlphabetSize, ct);
    }

    /// <summary>
    /// The request's options and their problems for this book (a bad field stops there: the rules would only repeat it);
    /// for a fine-tune, its checked start, whose shape and grown alphabet the rules then judge.
    /// </summary>
    private async Task<(TrainingOptions? Options, IReadOnlyList<string> Problems, FineTuneStarts.Start? Start)> CheckAsync(
        StudioDbContext context, CreateRunRequest request, Book book, CancellationToken ct)
    {
        var (options, problems) = request.ToOptions();
        if (options is null) return (null, problems, null);
        if (options.InitFrom is null) return (options, rules.Problems(options, book.Characters, book.AlphabetSize), null);
        var start = await starts.CheckAsync(context, options, book, request.Options, ct);
        if (!start.Ok) return (null, [start.Failure!.Detail], null);
        return (start.Value.Options, rules.Problems(start.Value.Options, book.Characters, start.Value.AlphabetSize), start.Value);
    }

    /// <summary>Stops a running run after its current step (it keeps a checkpoint), or takes a queued one off the queue.</summary>
    public async Task<Result> CancelAsync(int runId, CancellationToken ct = default)
    {
        if (queue.Cancel(runId)) return Result.Done;
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return NoSuchRun(runId);
        if (run.Status == RunStatus.Running && TrainedHere(run) && !queue.Busy(runId))
        {
            // Marked running by this instance, which is not training it: it stopped without its end being recorded.
            run.Status = RunStatus.Cancelled;
            run.FinishedAt = DateTime.UtcNow;
            await context.SaveChangesAsync(ct);
            return Result.Done;
        }
        if (run.Status == RunStatus.Running)
        {
            // Another instance (or a Slurm job) trains it, or this one is starting it: the trainer reads the flag about
            // once a second and stops with a checkpoint.
            run.CancelRequested = true;
            await context.SaveChangesAsync(ct);
            return Result.Done;
        }
        if (run.Status == RunStatus.Queued && run.JobId is { } job && !SlurmExecutor.IsSubmitting(job))
        {
            var cancelled = await SlurmExecutor.CancelPendingAsync(job, ct);
            if (!cancelled.Ok) return cancelled;
        }
        if (run.Status != RunStatus.Queued) return Failure.Conflict($"The run is {run.Status.Name()}; only queued or running runs can be cancelled.");
        run.Status = RunStatus.Cancelled;
        run.FinishedAt = DateTime.UtcNow;
        await context.SaveChangesAsync(ct);
        return Result.Done;
    }

    /// <summary>Queues an interrupted, cancelled, failed or stopped run again; it continues from its newest checkpoint.</summary>
    public async Task<Result> ResumeAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return NoSuchRun(runId);
        // A run marked running that this server is not training stopped without its end being recorded: resumable.
        var stale = run.Status == RunStatus.Running && TrainedHere(run) && !queue.Busy(runId);
        if (!stale && !run.Status.IsResumable())
            return Failure.Conflict($"The run is {run.Status.Name()}; only interrupted, cancelled or failed runs can be resumed.");
        // A trial its sweep stopped early and that a person continues is promoted: its rungs no longer stop it.
        if (run.Status == RunStatus.Stopped) run.Promoted = true;
        // A run its health settings stopped goes on as any other: the reason was for the stop, and a new one may come.
        if (run.SweepId is null) (run.StopReason, run.StoppedAtStep) = (null, null);
        RunLife.Requeue(run);
        await context.SaveChangesAsync(ct);
        queue.Wake();
        return Result.Done;
    }

    /// <summary>Whether this instance is the one that marked the run running (a run from before instance names counts as ours).</summary>
    private bool TrainedHere(Run run) => run.TrainedBy is null || run.TrainedBy == studio.Value.InstanceName;

    /// <summary>Removes a run that is not training, with its metrics, checkpoints and their files.</summary>
    public async Task<Result> DeleteAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return NoSuchRun(runId);
        if (queue.Busy(runId) || (run.Status == RunStatus.Running && !TrainedHere(run)))
            return Failure.Conflict("The run is training: cancel it first, then delete it.");
        await context.Metrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(ct);
        await context.Checkpoints.Where(c => c.RunId == runId).ExecuteDeleteAsync(ct);
        context.Runs.Remove(run);
        await context.SaveChangesAsync(ct);
        // Rows first: a crash here leaves unlisted files, never listed files that are gone.
        var files = folder.RunCheckpoints(runId);
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        return Result.Done;
    }

    /// <summary>The one way a feature says a run does not exist.</summary>
    internal static Failure NoSuchRun(int runId) => Failure.NotFound($"There is no run {runId}.");
}
