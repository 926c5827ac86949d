namespace CharRnn.Web.Features.Runs;

/// <summary>
/// A long run's history cut down for drawing: evenly spaced training points and evaluations, the first and the last
/// always kept, so a chart looks the same and live points continue from the end. Every point stays in the store.
/// </summary>
public static class MetricThinning
{
    public static IReadOnlyList<MetricDto> Thin(IReadOnlyList<MetricDto> metrics, int maxPoints)
    {
        if (metrics.Count <= maxPoints) return metrics;
        var evaluations = metrics.Where(m => m.ValLoss is not null).ToList();
        var keep = new HashSet<long>();
        Every(metrics, maxPoints / 2, keep);
        Every(evaluations, maxPoints / 2, keep);
        keep.Add(metrics[0].Step);
        keep.Add(metrics[^1].Step);
        return metrics.Where(m => keep.Contains(m.Step)).ToList();
    }

    private static void Every(IReadOnlyList<MetricDto> points, int count, HashSet<long> keep)
    {
        if (points.Count == 0 || count <= 0) return;
        var stride = Math.Max(1, (points.Count + count - 1) / count);
        for (var i = 0; i < points.Count; i += stride) keep.Add(points[i].Step);
    }
}
