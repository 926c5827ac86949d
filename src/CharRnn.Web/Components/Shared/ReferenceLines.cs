using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace CharRnn.Web.Components.Shared;

/// <summary>
/// Where a loss stands, drawn on every loss chart (a run's, the comparison's overlay, a sweep's curves): the level of
/// guessing each letter by its frequency in the book (<see cref="BookDto.FrequencyLoss"/>), a grey dotted line with its
/// label and, under the pointer, what it means.
/// </summary>
public static class ReferenceLines
{
    public const string FrequencyName = "guessing by letter frequency";

    public static string FrequencyMeaning(double loss) =>
        $"{loss:F2}: the loss of guessing each letter by how often it occurs in the book. A run that stays here has learned nothing else.";

    /// <summary>
    /// The frequency line across <paramref name="from"/> to <paramref name="to"/> on the x axis (steps, or minutes);
    /// named after its book where a chart holds runs of several books, each with its own line.
    /// </summary>
    public static Scatter Frequency(double loss, double from, double to, string? book = null) => new()
    {
        Name = book is null ? FrequencyName : $"{FrequencyName} ({book})", Mode = ModeFlag.Lines,
        X = [from, to], Y = [loss, loss],
        Line = new Line { Color = "#9e9e9e", Dash = "dot", Width = 1.5m },
        HoverTemplate = FrequencyMeaning(loss) + "<extra></extra>",
    };
}
