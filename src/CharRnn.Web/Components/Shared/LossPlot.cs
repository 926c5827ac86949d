using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace CharRnn.Web.Components.Shared;

/// <summary>What the loss charts (a run's, and the comparison's overlay) share: loss against step (or time), no Plotly logo.</summary>
public static class LossPlot
{
    public static Config Config() => new() { Responsive = true, DisplayLogo = false };

    public static Layout Layout(int height, HoverModeEnum hoverMode, string yTitle, string xTitle = "step") => new()
    {
        Height = height,
        Margin = new Plotly.Blazor.LayoutLib.Margin { L = 56, R = 16, T = 16, B = 48 },
        HoverMode = hoverMode,
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
    };
}
