using System.Text.Json;
using CharRnn.Training.Checkpoints;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Results;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Runs;

/// <summary>
/// The remedy of a run's health warning, in one click, as <see cref="RemedyPlan"/> decides it: a new run of the same
/// book with the plan's options, linked to the first. A remedy that resumes from the best checkpoint (an overfitting or
/// stalled run's) starts the new run with a copy of that checkpoint, its optimizer state and the history up to it, and
/// trains on from that step.
/// </summary>
public sealed class RunRemedy(IDbContextFactory<StudioDbContext> db, TrainingQueue queue, DataFolder folder, RunService runs, RunRules rules, FineTuneStarts starts)
{
    public async Task<Result<RunDto>> ApplyAsync(int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.FindAsync([runId], ct) is not { } run) return RunService.NoSuchRun(runId);
        if (run.HealthJson is null) return Failure.Conflict("The run has no health warning, so there is no remedy to apply.");
        var health = JsonSerializer.Deserialize<RunHealth>(run.HealthJson, ContractsJson.Options)!;
        var book = (await context.Books.FindAsync([run.BookId], ct))!;
        var plan = health.Plan(run.Options);

        CheckpointRecord? best = null;
        if (plan.Kind == HealthRemedy.ResumeFromBest)
        {
            best = await context.Checkpoints.Where(c => c.RunId == runId && c.ValLoss != null).OrderBy(c => c.ValLoss).FirstOrDefaultAsync(ct);
            if (best is null || !File.Exists(RunCheckpoints.OptimizerPathFor(folder.Absolute(best.RelativePath))))
                return Failure.Conflict($"The run's best checkpoint, or the optimizer state beside it, is gone, so nothing can resume from it. Start a new run with {plan.Change} instead.");
        }
        if (rules.Problems(plan.Options, book.Characters, book.AlphabetSize) is { Count: > 0 } problems) return Failure.Invalid(problems);

        var remedy = runs.NewRun(book, plan.Options, best is null ? $"{run.Name} ({plan.Change})" : $"{run.Name} ({plan.Change}, from step {best.Step:N0})");
        remedy.RemedyOf = runId;
        remedy.RemedyFromStep = best?.Step;
        // A fine-tune's remedy is a fine-tune of the same start, evaluated on the same other books.
        (remedy.FineTunedFromCheckpointId, remedy.FineTunedFromRunId, remedy.FineTunedFromBookId, remedy.CharactersAdded) =
            (run.FineTunedFromCheckpointId, run.FineTunedFromRunId, run.FineTunedFromBookId, run.CharactersAdded);
        remedy.AlsoEvaluateOnJson = run.AlsoEvaluateOnJson;
        // One transaction: no instance claims the queued run before its starting checkpoint is in place.
        await using (var transaction = await context.Database.BeginTransactionAsync(ct))
        {
            context.Runs.Add(remedy);
            await context.SaveChangesAsync(ct);
            if (File.Exists(folder.FineTuneStart(runId))) starts.KeepCopy(runId, remedy);
            if (best is not null) await StartFromAsync(context, remedy, best, ct);
            await transaction.CommitAsync(ct);
        }
        queue.Wake();
        return remedy.ToDto();
    }

    /// <summary>
    /// Gives <paramref name="remedy"/> a copy of <paramref name="best"/> (with its optimizer state, also as the new
    /// run's best so far) and the first run's steps up to it: the queue resumes a run from its newest checkpoint.
    /// </summary>
    private async Task StartFromAsync(StudioDbContext context, Run remedy, CheckpointRecord best, CancellationToken ct)
    {
        var from = folder.Absolute(best.RelativePath);
        var target = new RunCheckpoints(folder.RunCheckpoints(remedy.Id));
        Directory.CreateDirectory(target.Directory);
        var path = Path.Combine(target.Directory, Path.GetFileName(from));
        File.Copy(RunCheckpoints.OptimizerPathFor(from), RunCheckpoints.OptimizerPathFor(path), overwrite: true);
        File.Copy(from, path, overwrite: true);
        target.MarkBest(path);
        context.Checkpoints.Add(new CheckpointRecord
        {
            RunId = remedy.Id, Step = best.Step, Epoch = best.Epoch, TrainLoss = best.TrainLoss, ValLoss = best.ValLoss,
            SizeBytes = best.SizeBytes, RelativePath = folder.Relative(path), CreatedAt = DateTime.UtcNow,
        });
        var history = await context.Metrics.AsNoTracking().Where(m => m.RunId == best.RunId && m.Step <= best.Step).ToListAsync(ct);
        context.Metrics.AddRange(history.Select(m => new MetricPoint
        {
            RunId = remedy.Id, Step = m.Step, Epoch = m.Epoch, TrainLoss = m.TrainLoss, ValLoss = m.ValLoss, CharsPerSecond = m.CharsPerSecond, At = m.At,
        }));
        (remedy.Step, remedy.Epoch, remedy.ValLoss, remedy.BestValLoss) = (best.Step, best.Epoch, best.ValLoss, best.ValLoss);
        await context.SaveChangesAsync(ct);
    }
}
