using System.Globalization;
using System.Text.Json;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// A sweep's parameters as its views read them: each trial's value as a number to plot (a choice such as a schedule by
/// its place in the list), the axis scale its space asks for, and the trials' best losses beside them.
/// </summary>
public sealed record SweepParameter(string Name, string Label, bool Log, IReadOnlyList<string>? Choices)
{
    public static IReadOnlyList<SweepParameter> Of(SweepDto sweep) => sweep.Request.Parameters.Select(p =>
    {
        var option = TrainingOption.Find(p.Key);
        var choices = option is { Type.IsEnum: true } ? sweep.Trials.Select(t => Text(t.Parameters.GetValueOrDefault(p.Key))).Distinct().Order().ToList() : null;
        return new SweepParameter(p.Key, option?.Label ?? p.Key, p.Value.IsLog, choices);
    }).ToList();

    /// <summary>The trial's value on this parameter's axis; null when it has none.</summary>
    public double? Value(TrialDto trial)
    {
        if (!trial.Parameters.TryGetValue(Name, out var value)) return null;
        if (Choices is not null) return Choices.ToList().IndexOf(Text(value));
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }

    /// <summary>The value as the table shows it.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString() ?? "",
        _ => value.GetRawText(),
    };
}
