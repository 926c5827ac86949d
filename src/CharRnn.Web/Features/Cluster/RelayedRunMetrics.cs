using CharRnn.Web.Features.Events;

namespace CharRnn.Web.Features.Cluster;

/// <summary>
/// The latest points of runs that another instance trains, as they came through Redis: the trainer writes its metrics
/// to the store about once a second, so a watcher joining here would otherwise miss the steps since its last write.
/// <see cref="Runs.RunHistory"/> adds these after what the store has. Empty with one instance.
/// </summary>
public sealed class RelayedRunMetrics
{
    /// <summary>Points kept per run: far more than a second's worth of the fastest run.</summary>
    private const int Keep = 5000;

    private readonly Dictionary<int, List<MetricDto>> _runs = [];
    private readonly Lock _lock = new();

    public void Record(TrainingEvent e)
    {
        lock (_lock)
        {
            switch (e)
            {
                case ProgressEvent p:
                    if (!_runs.TryGetValue(p.RunId, out var points)) _runs[p.RunId] = points = [];
                    points.Add(p.Metric);
                    if (points.Count > Keep) points.RemoveRange(0, points.Count - Keep);
                    break;
                case EvaluatedEvent v when _runs.TryGetValue(v.RunId, out var evaluated):
                    var at = evaluated.FindLastIndex(m => m.Step == v.Evaluation.Step);
                    if (at >= 0) evaluated[at] = evaluated[at] with { ValLoss = v.Evaluation.ValLoss };
                    break;
                case StatusChangedEvent s when s.Status != RunStatus.Running:
                    _runs.Remove(s.RunId); // its end is written to the store before this is published
                    break;
            }
        }
    }

    /// <summary>The relayed points of a run after <paramref name="step"/>.</summary>
    public IReadOnlyList<MetricDto> After(int runId, long step)
    {
        lock (_lock)
            return _runs.TryGetValue(runId, out var points) ? points.Where(m => m.Step > step).ToList() : [];
    }
}
