using CharRnn.Training;
using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Creates, cancels and resumes runs: what the pages and the REST API both do.</summary>
public sealed class RunService(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, DataFolder folder, Microsoft.Extensions.Options.IOptions<StudioOptions> studio)
{
    /// <summary>Queues a run; returns the problems instead when the options do not fit the book.</summary>
    public async Task<(Run? Run, IReadOnlyList<string> Problems, bool BookMissing)> CreateAsync(CreateRunRequest request, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var book = await context.Books.FindAsync([request.BookId], ct);
        if (book is null) return (null, [$"There is no book {request.BookId}."], true);
        var options = request.ToOptions();
        var problems = request.PresetProblem is { } presetProblem ? [presetProblem] : Validate(options, book, studio.Value.Limits);
        if (folder.FreeBytes() is { } free && free < studio.Value.MinFreeDiskBytes)
            problems = [.. problems, $"The data folder's disk has {free / 1e9:N1} GB free; a run starts with at least {studio.Value.MinFreeDiskBytes / 1e9:N1} GB "
                + "(free some space, delete old runs, or lower the setting CharRnn:MinFreeDiskBytes)."];
        if (request.Name is { Length: var nameLength } && nameLength > studio.Value.Limits.MaxNameCharacters)
            problems = [.. problems, $"The name is {nameLength:N0} characters; the limit is {studio.Value.Limits.MaxNameCharacters:N0} ({StudioLimits.Raise(nameof(StudioLimits.MaxNameCharacters))})."];
        if (problems.Count > 0) return (null, problems, false);

        options = options with { Seed = options.Seed ?? Inference.SeededRandom.NewSeed() };
        var run = new Run
        {
            BookId = book.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{book.Name} {options.Layers}×{options.Hidden}" : request.Name.Trim(),
            Status = RunStatus.Queued,
            OptionsJson = RunOptionsJson.Write(options),
            TotalSteps = options.TotalSteps(book.Characters),
            Device = options.Device == "cuda" ? "CUDA" : "CPU",
            CreatedAt = DateTime.UtcNow,
        };
        context.Runs.Add(run);
        await context.SaveChangesAsync(ct);
        queue.Wake();
        return (run, [], false);
    }

    /// <summary>The options' problems for a book, the device's and this server's limits included.</summary>
    public static IReadOnlyList<string> Validate(TrainingOptions options, Book book, StudioLimits limits) =>
        Validate(options, book.Characters, book.AlphabetSize, limits);

    public static IReadOnlyList<string> Validate(TrainingOptions options, int characters, int alphabetSize, StudioLimits limits)
    {
        var problems = new List<string>();
        void Limit(long value, long max, string what, string setting)
        {
            if (value > max) problems.Add($"{what} is {value:N0}; the limit is {max:N0} ({StudioLimits.Raise(setting)}).");
        }
        Limit(options.Hidden, limits.MaxHidden, "Hidden size", nameof(limits.MaxHidden));
        Limit(options.Layers, limits.MaxLayers, "Layers", nameof(limits.MaxLayers));
        Limit((long)options.BatchSize * options.SequenceLength, limits.MaxBatchCharacters, "Batch size × sequence length", nameof(limits.MaxBatchCharacters));
        Limit(options.Epochs, limits.MaxEpochs, "Epochs", nameof(limits.MaxEpochs));
        Limit(alphabetSize, limits.MaxVocabulary, "The book's alphabet (distinct characters)", nameof(limits.MaxVocabulary));
        if (problems.Count > 0) return problems; // the options' own checks would repeat these in other words
        problems.AddRange(options.Problems(characters));
        if (problems.Count == 0) Limit(options.TotalSteps(characters), limits.MaxTotalSteps, "The run's total steps", nameof(limits.MaxTotalSteps));
        if (options.Device == "cuda" && !TorchDevices.CudaAvailable)
            problems.Add("CUDA was asked for, but this server has no GPU (or was built without the CUDA backend). Choose cpu or auto.");
        return problems;
    }

    /// <summary>Stops a running run after its current step (it keeps a checkpoint), or takes a queued one off the queue.</summary>
    public async Task<string?> CancelAsync(int runId, CancellationToken ct = default)
    {
        if (queue.Cancel(runId)) return null;
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return $"There is no run {runId}.";
        if (run.Status == RunStatus.Running && TrainedHere(run) && !queue.Busy(runId))
        {
            // Marked running by this instance, which is not training it: it stopped without its end being recorded.
            run.Status = RunStatus.Cancelled;
            run.FinishedAt = DateTime.UtcNow;
            await context.SaveChangesAsync(ct);
            return null;
        }
        if (run.Status == RunStatus.Running)
        {
            // Another instance (or a Slurm job) trains it, or this one is starting it: the trainer reads the flag about
            // once a second and stops with a checkpoint.
            run.CancelRequested = true;
            await context.SaveChangesAsync(ct);
            return null;
        }
        if (run.Status == RunStatus.Queued && run.JobId is { } job && !job.StartsWith("submitting:")
            && await SlurmExecutor.CancelPendingAsync(job, ct) is { } refused)
            return refused;
        if (run.Status != RunStatus.Queued) return $"The run is {RunDto.StatusName(run.Status)}; only queued or running runs can be cancelled.";
        run.Status = RunStatus.Cancelled;
        run.FinishedAt = DateTime.UtcNow;
        await context.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Queues an interrupted, cancelled or failed run again; it continues from its newest checkpoint.</summary>
    public async Task<string?> ResumeAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return $"There is no run {runId}.";
        // A run marked running that this server is not training stopped without its end being recorded: resumable.
        var stale = run.Status == RunStatus.Running && TrainedHere(run) && !queue.Busy(runId);
        if (!stale && run.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Completed)
            return $"The run is {RunDto.StatusName(run.Status)}; only interrupted, cancelled or failed runs can be resumed.";
        run.Status = RunStatus.Queued;
        run.Error = null;
        (run.JobId, run.JobState, run.JobReason) = (null, null, null); // with Slurm, a new job continues it
        await context.SaveChangesAsync(ct);
        queue.Wake();
        return null;
    }

    /// <summary>Whether this instance is the one that marked the run running (a run from before instance names counts as ours).</summary>
    private bool TrainedHere(Run run) => run.TrainedBy is null || run.TrainedBy == studio.Value.InstanceName;

    /// <summary>Removes a run that is not training, with its metrics, checkpoints and their files. Null when done, else why not.</summary>
    public async Task<(string? Problem, bool NotFound)> DeleteAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var run = await context.Runs.FindAsync([runId], ct);
        if (run is null) return ($"There is no run {runId}.", true);
        if (queue.Busy(runId) || (run.Status == RunStatus.Running && !TrainedHere(run)))
            return ("The run is training: cancel it first, then delete it.", false);
        await context.Metrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(ct);
        await context.Checkpoints.Where(c => c.RunId == runId).ExecuteDeleteAsync(ct);
        context.Runs.Remove(run);
        await context.SaveChangesAsync(ct);
        // Rows first: a crash here leaves unlisted files, never listed files that are gone.
        var files = folder.RunCheckpoints(runId);
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        return (null, false);
    }
}
