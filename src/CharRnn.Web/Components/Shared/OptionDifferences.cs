namespace CharRnn.Web.Components.Shared;

/// <summary>
/// The training options of one or several runs side by side, one row an option (every option there is, from its
/// description), and which rows differ.
/// </summary>
public static class OptionDifferences
{
    public sealed record Row(TrainingOption Option, IReadOnlyList<string> Cells, bool Differs);

    /// <summary>Each option with one cell per run ("—" for a checkpoint without a run); with <paramref name="differencesOnly"/>, only the rows whose cells differ.</summary>
    public static IReadOnlyList<Row> Table(IReadOnlyList<TrainingOptions?> runs, bool differencesOnly) =>
        TrainingOption.All
            .Select(option =>
            {
                var cells = runs.Select(o => o is null ? "—" : option.Format(o)).ToList();
                return new Row(option, cells, cells.Distinct().Count() > 1);
            })
            .Where(row => !differencesOnly || row.Differs)
            .ToList();
}
