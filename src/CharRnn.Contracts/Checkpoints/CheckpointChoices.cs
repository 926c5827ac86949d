namespace CharRnn.Contracts;

/// <summary>
/// The checkpoints a page offers to choose from (Generate, Inside, Compare, and any page to come): oldest run first and
/// each run's in step order, each labelled with its run's name, and the best one by whole-split validation loss.
/// </summary>
public sealed class CheckpointChoices
{
    private readonly Dictionary<int, string> _runNames;

    public CheckpointChoices(IEnumerable<CheckpointDto> checkpoints, IEnumerable<RunDto> runs)
    {
        All = checkpoints.OrderBy(c => c.RunId).ThenBy(c => c.Step).ToList();
        _runNames = runs.ToDictionary(r => r.Id, r => r.Name);
    }

    /// <summary>No checkpoint: what a page offers when there is none, or the server could not list them.</summary>
    public static CheckpointChoices None { get; } = new([], []);

    public IReadOnlyList<CheckpointDto> All { get; }

    public CheckpointDto? Find(int id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>An address's checkpoint list (<c>3,5</c>): those that exist, in order and once each, and a sentence naming any that do not.</summary>
    public (IReadOnlyList<int> Found, string? Problem) Read(string? list)
    {
        var requested = (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var id) ? id : -1).ToList();
        var unknown = requested.Where(id => Find(id) is null).ToList();
        return (requested.Where(id => Find(id) is not null).Distinct().ToList(),
            unknown.Count > 0 ? $"There is no checkpoint {string.Join(", ", unknown)}." : null);
    }

    /// <summary>"anna 2×512 · step 1,390 · val 1.4157", or "imported: rnn_20_epoch" (<see cref="CheckpointDto.Label"/>).</summary>
    public string Label(CheckpointDto checkpoint) => checkpoint.Label(checkpoint.RunId is { } run ? _runNames.GetValueOrDefault(run) : null);

    /// <summary>The label of checkpoint <paramref name="id"/>, or its number when it is not among these.</summary>
    public string Label(int id) => Find(id) is { } checkpoint ? Label(checkpoint) : id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The checkpoint to open: <paramref name="asked"/> when it is among these, else the best of <paramref name="run"/>
    /// by validation loss, else the best of all (the first listed where none has a validation loss); 0 when there is none.
    /// </summary>
    public int Choose(int? asked, int? run = null)
    {
        if (asked is { } id && Find(id) is not null) return id;
        return ((run is { } r ? Best(All.Where(c => c.RunId == r)) : null) ?? Best(All))?.Id ?? 0;
    }

    private static CheckpointDto? Best(IEnumerable<CheckpointDto> checkpoints) => checkpoints.OrderBy(c => c.ValLoss ?? double.MaxValue).FirstOrDefault();
}
