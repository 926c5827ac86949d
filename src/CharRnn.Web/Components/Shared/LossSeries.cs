using CharRnn.Web.Contracts;

namespace CharRnn.Web.Components.Shared;

/// <summary>
/// Turns a run's metrics into the points a chart draws: training loss smoothed as TensorBoard smooths it
/// (a debiased exponential moving average), thinned to a few hundred points however long the run, and
/// validation loss as it is. Everything is kept; only what is drawn is thinned.
/// </summary>
public static class LossSeries
{
    public readonly record struct Point(double Step, double Loss);

    /// <summary>At most <paramref name="maxPoints"/> points: each bucket of steps keeps its mean step and mean loss.</summary>
    public static IReadOnlyList<Point> Thin(IReadOnlyList<Point> points, int maxPoints)
    {
        if (points.Count <= maxPoints) return points;
        var result = new List<Point>(maxPoints);
        var bucket = (double)points.Count / maxPoints;
        for (var b = 0; b < maxPoints; b++)
        {
            int from = (int)(b * bucket), to = Math.Min(points.Count, (int)((b + 1) * bucket));
            if (to <= from) continue;
            double step = 0, loss = 0;
            for (var i = from; i < to; i++) { step += points[i].Step; loss += points[i].Loss; }
            result.Add(new Point(step / (to - from), loss / (to - from)));
        }
        return result;
    }

    /// <summary>TensorBoard's smoothing: weight 0 draws the raw values, 0.99 nearly a flat line.</summary>
    public static IReadOnlyList<Point> Smooth(IReadOnlyList<Point> points, double weight)
    {
        if (weight <= 0) return points;
        var result = new List<Point>(points.Count);
        double last = 0;
        for (var i = 0; i < points.Count; i++)
        {
            last = last * weight + (1 - weight) * points[i].Loss;
            var debias = 1 - Math.Pow(weight, i + 1);
            result.Add(points[i] with { Loss = last / debias });
        }
        return result;
    }

    public static IReadOnlyList<Point> Training(IEnumerable<MetricDto> metrics) =>
        metrics.Select(m => new Point(m.Step, m.TrainLoss)).ToList();

    public static IReadOnlyList<Point> Validation(IEnumerable<MetricDto> metrics) =>
        metrics.Where(m => m.ValLoss is not null).Select(m => new Point(m.Step, m.ValLoss!.Value)).ToList();
}
