using System.Globalization;
using CharRnn.Training;

namespace CharRnn.Web.Components.Pages;

/// <summary>The training options of several runs side by side, one row an option, and which rows differ.</summary>
public static class OptionDifferences
{
    private static readonly (string Name, Func<TrainingOptions, object?> Value)[] Rows =
    [
        ("hidden", o => o.Hidden), ("layers", o => o.Layers), ("dropout", o => o.Dropout), ("learning rate", o => o.LearningRate),
        ("batch size", o => o.BatchSize), ("sequence length", o => o.SequenceLength), ("epochs", o => o.Epochs),
        ("gradient clip", o => o.GradientClip), ("validation fraction", o => o.ValidationFraction),
        ("evaluate every", o => o.EvaluateEvery), ("seed", o => o.Seed), ("device", o => o.Device),
    ];

    /// <summary>Each option with one cell per run ("—" for a checkpoint without a run); with <paramref name="differencesOnly"/>, only the rows whose cells differ.</summary>
    public static IReadOnlyList<(string Option, IReadOnlyList<string> Cells, bool Differs)> Table(IReadOnlyList<TrainingOptions?> runs, bool differencesOnly) =>
        Rows.Select(row =>
            {
                var cells = runs.Select(o => o is null ? "—" : Convert.ToString(row.Value(o), CultureInfo.InvariantCulture) ?? "—").ToList();
                return (row.Name, (IReadOnlyList<string>)cells, cells.Distinct().Count() > 1);
            })
            .Where(row => !differencesOnly || row.Item3)
            .ToList();
}
