using ScottPlot;

namespace CharRnn.Bench.Presets;

/// <summary>Validation loss against wall-clock minutes for several runs on one chart, written as a PNG (ScottPlot).</summary>
internal static class ValLossChart
{
    public static void Write(string path, IReadOnlyList<PresetCurve> curves, IReadOnlyList<double> targets, string title, string xLabel = "wall-clock time (minutes)")
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var color = palette.GetColor(i);
            // Whole-split figures as the line people compare; a subset's estimates between them as faint dots.
            var whole = curve.Points.Where(p => p.WholeSplit).ToList();
            var line = plot.Add.Scatter(whole.Select(p => p.Seconds / 60).ToArray(), whole.Select(p => p.ValLoss).ToArray(), color);
            line.LegendText = $"{curve.Preset}, seed {curve.Seed}";
            line.MarkerSize = whole.Count > 60 ? 0 : 5;
            var estimates = curve.Points.Where(p => !p.WholeSplit).ToList();
            if (estimates.Count > 0)
            {
                var dots = plot.Add.ScatterPoints(estimates.Select(p => p.Seconds / 60).ToArray(), estimates.Select(p => p.ValLoss).ToArray(), color.WithAlpha(0.35));
                dots.MarkerSize = 3;
            }
        }
        foreach (var target in targets)
        {
            var rule = plot.Add.HorizontalLine(target, 1, Colors.Gray, LinePattern.Dashed);
            rule.LegendText = $"validation loss {target:F2}";
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("validation loss");
        // The first minutes sit near 3 to 4.4 for every run; when every run ends well below 2.2 the comparison happens
        // there, so the axis stops at 2.2. A run that ends higher (two epochs of the notebook's slow rate end near 2.2)
        // is compared along its whole descent, so then the axis shows all of it.
        var losses = curves.SelectMany(c => c.Points).Select(p => p.ValLoss).ToList();
        var top = curves.Max(c => c.Points[^1].ValLoss) < 1.9 ? 2.2 : losses.Max() + 0.05;
        plot.Axes.SetLimitsY(Math.Min(losses.Min(), targets.DefaultIfEmpty(top).Min()) - 0.05, top);
        plot.ShowLegend(Alignment.UpperRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 520);
    }
}
