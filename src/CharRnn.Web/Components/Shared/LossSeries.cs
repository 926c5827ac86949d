
namespace CharRnn.Web.Components.Shared;

/// <summary>
/// Turns a run's metrics into the points a chart draws: training loss smoothed as TensorBoard smooths it
/// (a debiased exponential moving average), thinned to a few hundred points however long the run, and
/// validation loss as it is. Everything is kept; only what is drawn is thinned.
/// </summary>
public static class LossSeries
{
    /// <summary>One point drawn: <paramref name="Step"/> is the x value, the step or minutes of training.</summary>
    public readonly record struct Point(double Step, double Loss);

    /// <summary>A pause longer than this between two steps (the run was stopped, then resumed) is not training time.</summary>
    public static readonly TimeSpan LongestStep = TimeSpan.FromMinutes(10);

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

    public static IReadOnlyList<Point> Training(IReadOnlyList<MetricDto> metrics, bool againstTime = false)
    {
        var x = XValues(metrics, againstTime);
        return metrics.Select((m, i) => new Point(x[i], m.TrainLoss)).ToList();
    }

    public static IReadOnlyList<Point> Validation(IReadOnlyList<MetricDto> metrics, bool againstTime = false) =>
        Evaluated(metrics, againstTime, m => m.ValLoss);

    /// <summary>Another book's validation loss (<see cref="MetricDto.OtherBooks"/>), at the whole-split evaluations that read it.</summary>
    public static IReadOnlyList<Point> OtherBook(IReadOnlyList<MetricDto> metrics, int bookId, bool againstTime = false) =>
        Evaluated(metrics, againstTime, m => m.OtherBooks?.FirstOrDefault(b => b.BookId == bookId)?.ValLoss);

    /// <summary>The steps where <paramref name="loss"/> has a value (the evaluated ones), at their x values.</summary>
    private static IReadOnlyList<Point> Evaluated(IReadOnlyList<MetricDto> metrics, bool againstTime, Func<MetricDto, double?> loss)
    {
        var x = XValues(metrics, againstTime);
        return metrics.Select((m, i) => (Loss: loss(m), i)).Where(p => p.Loss is not null).Select(p => new Point(x[p.i], p.Loss!.Value)).ToList();
    }

    /// <summary>
    /// Each step's x value: its number, or the minutes of training up to it. Training time adds up the gaps between
    /// consecutive steps, leaving out pauses longer than <see cref="LongestStep"/>, so that two runs compare by the work
    /// they did even when one was stopped overnight and resumed.
    /// </summary>
    public static double[] XValues(IReadOnlyList<MetricDto> metrics, bool againstTime)
    {
        var x = new double[metrics.Count];
        double minutes = 0;
        for (var i = 0; i < metrics.Count; i++)
        {
            if (!againstTime) { x[i] = metrics[i].Step; continue; }
            if (i > 0 && metrics[i].At - metrics[i - 1].At is var gap && gap > TimeSpan.Zero && gap <= LongestStep) minutes += gap.TotalMinutes;
            x[i] = minutes;
        }
        return x;
    }
}
