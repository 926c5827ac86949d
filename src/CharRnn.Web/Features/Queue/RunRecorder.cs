using System.Diagnostics;
using CharRnn.Training.Loop;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Events;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Turns one trainer's events into the run's rows and broadcasts: every step into the run's figures, its in-memory log
/// and a <see cref="ProgressEvent"/>, written to the store in batches about once a second (tiny fast models would
/// otherwise hammer the database); each evaluation and each checkpoint at once, with retention pruning old checkpoints.
/// </summary>
/// <param name="afterFlush">Called after each timed write: where the executor checks the disk and a cancel from elsewhere.</param>
internal sealed class RunRecorder(StudioDbContext context, Run run, TrainingOptions options, ActiveRun active, DataFolder folder,
    TrainingBroadcaster broadcaster, int keepCheckpoints, Action afterFlush)
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly List<MetricPoint> _pending = [];
    private readonly Stopwatch _sinceFlush = Stopwatch.StartNew();

    public void Attach(Trainer trainer)
    {
        trainer.StepCompleted += OnStep;
        trainer.Evaluated += OnEvaluated;
        trainer.CheckpointSaved += OnCheckpointSaved;
    }

    private void OnStep(StepMetrics s)
    {
        var point = new MetricPoint { RunId = run.Id, Step = s.Step, Epoch = s.Epoch, TrainLoss = s.TrainLoss, CharsPerSecond = s.CharsPerSecond, At = DateTime.UtcNow };
        _pending.Add(point);
        (run.Step, run.TotalSteps, run.Epoch, run.TrainLoss) = (s.Step, s.TotalSteps, s.Epoch, s.TrainLoss);
        (run.CharsPerSecond, run.EtaSeconds) = (s.CharsPerSecond, s.Eta.TotalSeconds);
        var dto = point.ToDto();
        active.Metrics.Append(dto);
        broadcaster.Publish(new ProgressEvent(run.Id, dto, run.ToDto(options)));
        if (_sinceFlush.Elapsed < FlushEvery) return;
        Flush();
        _sinceFlush.Restart();
        afterFlush();
    }

    private void OnEvaluated(Evaluation e)
    {
        var point = _pending.LastOrDefault(p => p.Step == e.Step);
        if (point is not null) (point.ValLoss, point.OtherBooks) = (e.ValLoss, e.OtherBooks);
        else
        {
            var others = MetricPoint.Json(e.OtherBooks);
            context.Metrics.Where(m => m.RunId == run.Id && m.Step == e.Step)
                .ExecuteUpdate(m => m.SetProperty(p => p.ValLoss, e.ValLoss).SetProperty(p => p.OtherBooksJson, others));
        }
        active.Metrics.SetValLoss(e.Step, e.ValLoss, e.OtherBooks);
        run.ValLoss = e.ValLoss;
        run.LastSample = e.Sample;
        // The best figure, like the best checkpoint, comes from whole-split evaluations only.
        if (e.WholeSplit && (run.BestValLoss is null || e.ValLoss < run.BestValLoss)) run.BestValLoss = e.ValLoss;
        Flush();
        broadcaster.Publish(new EvaluatedEvent(run.Id, new EvaluationDto(e.Step, e.ValLoss, e.Sample, e.WholeSplit, e.OtherBooks)));
    }

    private void OnCheckpointSaved(SavedCheckpoint c)
    {
        var record = new CheckpointRecord
        {
            RunId = run.Id, Step = c.Step, Epoch = c.Epoch, TrainLoss = c.TrainLoss, ValLoss = c.ValLoss,
            SizeBytes = c.SizeBytes, RelativePath = folder.Relative(c.Path), CreatedAt = DateTime.UtcNow,
        };
        // A cancelled run may save again at a step it already saved: keep one row per file.
        context.Checkpoints.RemoveRange(context.Checkpoints.Where(x => x.RunId == run.Id && x.RelativePath == record.RelativePath));
        context.Checkpoints.Add(record);
        Flush();
        broadcaster.Publish(new CheckpointSavedEvent(run.Id, record.ToDto()));
        Prune();
    }

    /// <summary>Writes the steps not yet stored, with the run's figures.</summary>
    public void Flush()
    {
        context.Metrics.AddRange(_pending);
        context.SaveChanges();
        // Stop tracking written points, so a long run's saves do not slow down as its history grows.
        foreach (var point in _pending) context.Entry(point).State = EntityState.Detached;
        _pending.Clear();
    }

    /// <summary>Deletes the run's checkpoints the retention policy no longer keeps: rows first, then files, so the store never lists a deleted file.</summary>
    private void Prune()
    {
        var doomed = CheckpointRetention.ToDelete(context.Checkpoints.Where(c => c.RunId == run.Id).ToList(), keepCheckpoints);
        if (doomed.Count == 0) return;
        context.Checkpoints.RemoveRange(doomed);
        context.SaveChanges();
        foreach (var record in doomed) CheckpointRetention.DeleteFiles(folder, record);
    }
}
