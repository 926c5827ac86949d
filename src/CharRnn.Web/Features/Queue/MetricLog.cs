namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Every metric of a run that is training, in memory: what a watcher who joins mid-run gets first.
/// Points are appended before they are broadcast, so a snapshot plus the live points that follow
/// miss nothing; a point may arrive twice (clients keep one per step).
/// </summary>
public sealed class MetricLog(IEnumerable<MetricDto> history)
{
    private readonly Lock _gate = new();
    private readonly List<MetricDto> _points = history.ToList();

    public void Append(MetricDto point) { lock (_gate) _points.Add(point); }

    /// <summary>Sets the validation losses on the point of that step (the evaluation follows its step).</summary>
    public MetricDto? SetValLoss(long step, double valLoss, IReadOnlyList<BookValLoss>? otherBooks = null)
    {
        lock (_gate)
        {
            var index = _points.FindLastIndex(p => p.Step == step);
            if (index < 0) return null;
            _points[index] = _points[index] with { ValLoss = valLoss, OtherBooks = otherBooks };
            return _points[index];
        }
    }

    public IReadOnlyList<MetricDto> Snapshot() { lock (_gate) return _points.ToArray(); }
}
