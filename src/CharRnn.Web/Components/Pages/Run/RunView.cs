using CharRnn.Web.Features.Events;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// What the live run page shows, kept up to date from training events: the run, one metric per step
/// (a point that arrives both in the history and live is kept once), the evaluations' samples, the checkpoints.
/// </summary>
public sealed class RunView(RunDto run, IEnumerable<MetricDto> history, IEnumerable<CheckpointDto> checkpoints)
{
    private readonly List<MetricDto> _metrics = history.OrderBy(m => m.Step).ToList();
    private readonly List<CheckpointDto> _checkpoints = checkpoints.OrderBy(c => c.Step).ToList();
    private readonly List<EvaluationDto> _evaluations = [];

    public RunDto Run { get; private set; } = run;
    public IReadOnlyList<MetricDto> Metrics => _metrics;
    public IReadOnlyList<CheckpointDto> Checkpoints => _checkpoints;
    /// <summary>Newest first.</summary>
    public IReadOnlyList<EvaluationDto> Evaluations => _evaluations;

    public double Progress => Run.TotalSteps == 0 ? 0 : 100.0 * Run.Step / Run.TotalSteps;

    /// <summary>Applies an event for this run; returns false for other runs' events.</summary>
    public bool Apply(TrainingEvent e)
    {
        if (e.RunId != Run.Id) return false;
        switch (e)
        {
            case ProgressEvent p:
                Add(p.Metric);
                Run = p.Run;
                break;
            case EvaluatedEvent v:
                _evaluations.Insert(0, v.Evaluation);
                var index = _metrics.FindLastIndex(m => m.Step == v.Evaluation.Step);
                if (index >= 0) _metrics[index] = _metrics[index] with { ValLoss = v.Evaluation.ValLoss, OtherBooks = v.Evaluation.OtherBooks };
                Run = Run with
                {
                    ValLoss = v.Evaluation.ValLoss, LastSample = v.Evaluation.Sample,
                    BestValLoss = v.Evaluation.WholeSplit ? Math.Min(Run.BestValLoss ?? double.MaxValue, v.Evaluation.ValLoss) : Run.BestValLoss,
                };
                break;
            case CheckpointSavedEvent c:
                _checkpoints.RemoveAll(x => x.Id == c.Checkpoint.Id || x.Step == c.Checkpoint.Step);
                _checkpoints.Add(c.Checkpoint);
                break;
            case StatusChangedEvent s:
                Run = Run with { Status = s.Status, Error = s.Error };
                break;
        }
        return true;
    }

    private void Add(MetricDto metric)
    {
        // A point at or before the last one is either a repeat (it was in the history too) or a resumed run
        // going back to its checkpoint: either way the newer account of those steps replaces the older.
        if (_metrics.Count > 0 && metric.Step <= _metrics[^1].Step) _metrics.RemoveAll(m => m.Step >= metric.Step);
        _metrics.Add(metric);
    }

    /// <summary>Replaces the run after a reload (a resumed run starts over with a fresh row).</summary>
    public void Reset(RunDto run) => Run = run;
}
