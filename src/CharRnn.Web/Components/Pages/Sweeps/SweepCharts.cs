using CharRnn.Web.Components.Shared;
using CharRnn.Web.Features.Sweeps;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using Dimension = Plotly.Blazor.Traces.ParCoordsLib.Dimension;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The sweep page's Plotly figures, built from the sweep as the API gives it: the parallel coordinates (one axis per
/// parameter and one for the loss, each trial a line coloured by its loss, dark is better), the loss against each
/// parameter, and every trial's validation curve.
/// </summary>
public static class SweepCharts
{
    /// <summary>Trials with a loss so far: the others have no line to draw yet.</summary>
    public static IReadOnlyList<TrialDto> Scored(SweepDto sweep) => sweep.Trials.Where(t => t.BestValLoss is not null).ToList();

    public static ParCoords Coordinates(SweepDto sweep)
    {
        var trials = Scored(sweep);
        var dimensions = SweepParameter.Of(sweep).Select(p => new Dimension
        {
            Label = p.Log ? $"{p.Name} (log10)" : p.Name,
            Values = trials.Select(t => (object)(p.Log ? Math.Log10(p.Value(t) ?? double.NaN) : p.Value(t) ?? double.NaN)).ToList(),
            TickVals = p.Choices?.Select((_, i) => (object)i).ToList(),
            TickText = p.Choices?.Cast<object>().ToList(),
        }).ToList();
        var losses = trials.Select(t => (object)t.BestValLoss!.Value).ToList();
        dimensions.Add(new Dimension { Label = "best validation loss", Values = losses });
        return new ParCoords
        {
            Dimensions = dimensions,
            Line = new Plotly.Blazor.Traces.ParCoordsLib.Line
            {
                ColorArray = losses, ColorScale = "Viridis", ShowScale = true, ReverseScale = false,
            },
        };
    }

    /// <summary>The best loss of each trial against one parameter's value; a stopped trial drawn hollow.</summary>
    public static IList<ITrace> AgainstParameter(SweepDto sweep, SweepParameter parameter)
    {
        var trials = Scored(sweep).Where(t => parameter.Value(t) is not null).ToList();
        Scatter Points(string name, IEnumerable<TrialDto> group, Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum symbol) => new()
        {
            Name = name, Mode = ModeFlag.Markers,
            X = group.Select(t => parameter.Choices is null ? (object)parameter.Value(t)!.Value : parameter.Choices[(int)parameter.Value(t)!.Value]).ToList(),
            Y = group.Select(t => (object)t.BestValLoss!.Value).ToList(),
            TextArray = group.Select(t => $"trial {t.Index + 1}").ToList(),
            Marker = new Marker { Size = 9, Symbol = symbol, Color = "#3f51b5" },
            HoverTemplate = "%{text}: %{y:.4f}<extra></extra>",
        };
        return
        [
            Points("to the end", trials.Where(t => t.Status != RunStatus.Stopped), Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle),
            Points("stopped early", trials.Where(t => t.Status == RunStatus.Stopped), Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen),
        ];
    }

    public static Layout ParameterLayout(SweepParameter parameter)
    {
        var layout = LossPlot.Layout(260, HoverModeEnum.Closest, "best validation loss", parameter.Name);
        if (parameter.Log) layout.XAxis[0].Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log;
        if (parameter.Choices is not null) layout.XAxis[0].Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category;
        layout.ShowLegend = false;
        return layout;
    }

    /// <summary>
    /// Every trial's whole-split validation losses against its step, one line each, the best trial drawn thick, with the
    /// book's letter-frequency line (<see cref="ReferenceLines"/>) across them.
    /// </summary>
    public static IList<ITrace> Curves(SweepDto sweep, IReadOnlyDictionary<int, IReadOnlyList<MetricDto>> metrics, double? frequencyLoss)
    {
        var traces = sweep.Trials.Where(t => metrics.ContainsKey(t.RunId)).Select(t =>
        {
            var points = metrics[t.RunId].Where(m => m.ValLoss is not null).ToList();
            return (ITrace)new Scatter
            {
                Name = $"trial {t.Index + 1}", Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = points.Select(m => (object)m.Step).ToList(), Y = points.Select(m => (object)m.ValLoss!.Value).ToList(),
                Line = new Line { Width = t.RunId == sweep.BestRunId ? 4 : 1.5m }, Marker = new Marker { Size = 4 },
                HoverTemplate = $"trial {t.Index + 1}: %{{y:.4f}} at step %{{x}}<extra></extra>",
            };
        }).ToList();
        var steps = metrics.Values.SelectMany(m => m).Select(m => m.Step).ToList();
        if (frequencyLoss is { } loss && steps.Count > 0) traces.Add(ReferenceLines.Frequency(loss, 0, steps.Max()));
        return traces;
    }
}
