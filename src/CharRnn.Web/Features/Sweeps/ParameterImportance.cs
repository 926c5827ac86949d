namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// How much each parameter seems to matter, in two plain figures over the trials that have a loss: the rank (Spearman)
/// correlation of its value with the best validation loss (near −1 or 1: the loss follows it; near 0: no order), and the
/// spread of the best loss reached across its values (for a range, across the low, middle and high thirds of what was
/// tried). A stopped trial counts with the loss it had when it stopped, as sweep dashboards do, which favours early learners.
/// </summary>
public sealed record ParameterImportance(SweepParameter Parameter, double? RankCorrelation, double? Spread, int Trials)
{
    public static IReadOnlyList<ParameterImportance> Of(SweepDto sweep) =>
        SweepParameter.Of(sweep).Select(p => For(p, sweep.Trials)).OrderByDescending(i => i.Strength).ToList();

    /// <summary>What orders the parameters: the correlation's size, else the spread.</summary>
    public double Strength => RankCorrelation is { } r ? Math.Abs(r) : Spread ?? 0;

    public static ParameterImportance For(SweepParameter parameter, IEnumerable<TrialDto> trials)
    {
        var points = trials.Where(t => t.BestValLoss is not null && parameter.Value(t) is not null)
            .Select(t => (X: parameter.Value(t)!.Value, Loss: t.BestValLoss!.Value)).ToList();
        if (points.Count < 2) return new(parameter, null, null, points.Count);
        var correlation = parameter.Choices is null && points.Select(p => p.X).Distinct().Count() > 1 ? Spearman(points) : null;
        return new(parameter, correlation, SpreadOfBests(parameter, points), points.Count);
    }

    /// <summary>Pearson's correlation of the ranks (ties share their mean rank); null when either side does not vary.</summary>
    public static double? Spearman(IReadOnlyList<(double X, double Loss)> points)
    {
        var (x, y) = (Ranks(points.Select(p => p.X).ToList()), Ranks(points.Select(p => p.Loss).ToList()));
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++) (sxy, sxx, syy) = (sxy + (x[i] - mx) * (y[i] - my), sxx + (x[i] - mx) * (x[i] - mx), syy + (y[i] - my) * (y[i] - my));
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    private static List<double> Ranks(List<double> values)
    {
        var order = values.Select((v, i) => (v, i)).OrderBy(p => p.v).ToList();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Count;)
        {
            var end = start;
            while (end + 1 < order.Count && order[end + 1].v == order[start].v) end++;
            for (var k = start; k <= end; k++) ranks[order[k].i] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return [.. ranks];
    }

    /// <summary>The best loss reached in each group of values, and how far apart the groups' bests lie.</summary>
    private static double? SpreadOfBests(SweepParameter parameter, IReadOnlyList<(double X, double Loss)> points)
    {
        var distinct = points.Select(p => p.X).Distinct().Count();
        Func<double, int> group = x => (int)x;
        if (parameter.Choices is null)
        {
            if (distinct <= 3) group = x => points.Select(p => p.X).Distinct().Order().ToList().IndexOf(x);
            else
            {
                Func<double, double> scale = parameter.Log ? Math.Log : v => v;
                var (low, high) = (scale(points.Min(p => p.X)), scale(points.Max(p => p.X)));
                group = x => high == low ? 0 : Math.Min(2, (int)(3 * (scale(x) - low) / (high - low)));
            }
        }
        var bests = points.GroupBy(p => group(p.X)).Select(g => g.Min(p => p.Loss)).ToList();
        return bests.Count < 2 ? null : bests.Max() - bests.Min();
    }

    /// <summary>The sentence the page leads with: which parameter mattered most, and by what figure.</summary>
    public static string? Headline(IReadOnlyList<ParameterImportance> ranked) => ranked.FirstOrDefault(i => i.Strength > 0) is not { } top ? null
        : $"{top.Parameter.Label} mattered most"
            + (top.RankCorrelation is { } r ? $": rank correlation {r:+0.00;−0.00} with the loss" : "")
            + (top.Spread is { } s ? $"{(top.RankCorrelation is null ? ":" : ",")} the best loss across its values spans {s:F3}" : "")
            + $" (over {top.Trials} trials).";
}
