using CharRnn.Training;
using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Creates, cancels and resumes runs: what the pages and the REST API both do.</summary>
public sealed class RunService(IDbContextFactory<StudioDbContext> db, TrainingQueue queue)
{
    /// <summary>Queues a run; returns the problems instead when the options do not fit the book.</summary>
    public async Task<(Run? Run, IReadOnlyList<string> Problems, bool BookMissing)> CreateAsync(CreateRunRequest request, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var book = await context.Books.FindAsync([request.BookId], ct);
        if (book is null) return (null, [$"There is no book {request.BookId}."], true);
        var options = request.ToOptions();
        var problems = Validate(options, book.Characters);
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

    /// <summary>The options' problems for a book of this many characters, the device's included.</summary>
    public static IReadOnlyList<string> Validate(TrainingOptions options, int characters)
    {
        var problems = options.Problems(characters).ToList();
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
        if (run.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Completed)
            return $"The run is {RunDto.StatusName(run.Status)}; only interrupted, cancelled or failed runs can be resumed.";
        run.Status = RunStatus.Queued;
        run.Error = null;
        await context.SaveChangesAsync(ct);
        queue.Wake();
        return null;
    }
}
