using System.Globalization;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Sampling;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The sample grid's work, apart from its markup: up to 4 checkpoints (rows) × up to 4 temperatures or top-p values
/// (columns), one prime, seed and stop for all, read from and written to the address. Every cell streams from the
/// server, all of them together as one sampling against the limits: the cells of one checkpoint step in its batch.
/// Each cell is scored under its own model when drawn, and can be saved as a passage. <paramref name="changed"/> redraws the page.
/// </summary>
public sealed class SampleGrid(RunService runs, CheckpointFiles checkpoints, SamplingService sampling, CheckpointScoring scoring,
    PassageService passages, Func<Task> changed) : IDisposable
{
    public const int MaxRows = 4, MaxColumns = 4;

    /// <summary>The columns a new grid offers: a cautious, the Generate page's, and a wild temperature.</summary>
    public static readonly IReadOnlyList<double> DefaultColumns = [0.5, 0.8, 1.2];

    private CancellationTokenSource _stop = new();

    public CheckpointChoices Choices { get; private set; } = CheckpointChoices.None;
    public IReadOnlyCollection<int> Chosen { get; set; } = [];
    public string Prime { get; set; } = "The ";
    public int Length { get; set; } = 300;
    public int Seed { get; set; } = 1;
    /// <summary>Columns by top-p (at temperature 1) instead of by temperature.</summary>
    public bool AcrossTopP { get; set; }
    /// <summary>The columns' values as typed: <c>0.5, 0.8, 1.2</c>.</summary>
    public string ColumnsText { get; set; } = string.Join(", ", DefaultColumns.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    /// <summary>The stop sequence as typed (<see cref="StopSequences"/>).</summary>
    public string StopText { get; set; } = "";

    public string? Problem { get; private set; }
    public IReadOnlyList<double> Columns { get; private set; } = [];
    public IReadOnlyList<GridCell> Cells { get; private set; } = [];

    public bool Drawing => Cells.Any(c => c.Sampling);

    private IReadOnlyList<double> ColumnValues => SamplingAddress.ReadNumbers(ColumnsText.Replace(' ', ','));

    /// <summary>This grid's address: opened anywhere, it draws the same cells.</summary>
    public string Address => SamplingAddress.Grid(Chosen.Take(MaxRows), Prime, Length, Seed, ColumnValues, AcrossTopP, StopSequences.Parse(StopText));

    /// <summary>Lists the checkpoints and takes the grid from the page's address.</summary>
    public async Task LoadAsync(string? chosen, string? prime, int? length, int? seed, string? temperatures, string? topPs, string[]? stop)
    {
        var listed = await runs.ListAsync();
        Choices = new CheckpointChoices(await checkpoints.ListAsync(runId: null), listed);
        (Prime, Length, Seed) = (prime ?? Prime, length ?? Length, seed ?? Seed);
        AcrossTopP = topPs is not null;
        if ((topPs ?? temperatures) is { } values) ColumnsText = string.Join(", ", SamplingAddress.ReadNumbers(values).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        if (stop is { Length: > 0 }) StopText = StopSequences.Format(stop);
        (Chosen, Problem) = Choices.Read(chosen);
    }

    /// <summary>Why this grid cannot be drawn, or null: 1–4 checkpoints, 1–4 columns, 16 cells at most.</summary>
    public string? Refusal => Chosen.Count is < 1 or > MaxRows ? $"Choose one to {MaxRows} checkpoints (rows); there are {Chosen.Count}."
        : ColumnValues.Count is < 1 or > MaxColumns ? $"Give one to {MaxColumns} {(AcrossTopP ? "top-p values" : "temperatures")} (columns), separated by commas; there are {ColumnValues.Count}."
        : null;

    /// <summary>Draws every cell together and scores each as it ends; returns when all are done (or a new grid began).</summary>
    public async Task DrawAsync()
    {
        await _stop.CancelAsync();
        _stop = new CancellationTokenSource();
        Problem = Refusal;
        if (Problem is not null) { Cells = []; await changed(); return; }
        Columns = ColumnValues;
        var stop = StopSequences.Parse(StopText);
        Cells = Chosen.Take(MaxRows).SelectMany((id, row) => Columns.Select((value, column) => new GridCell(Choices.Find(id)!, row, column,
            new SampleRequest(id, Prime, Length, AcrossTopP ? 1.0 : value, TopK: null, Seed, AcrossTopP ? value : null, stop.Count > 0 ? stop : null)))).ToList();
        await changed();
        // The whole grid is one sampling against the server's limits, as variations are.
        var started = await sampling.StartTogetherAsync(Cells.Select(c => c.Request).ToList(), client: null, _stop.Token);
        if (!started.Ok)
        {
            Problem = started.Failure!.Detail;
            foreach (var cell in Cells) cell.End();
            await changed();
            return;
        }
        var tickets = started.Value;
        try { await Task.WhenAll(Cells.Select((cell, i) => StreamAsync(cell, tickets[i], _stop.Token))); }
        finally { foreach (var ticket in tickets) ticket.Dispose(); }
    }

    private async Task StreamAsync(GridCell cell, SamplingTicket ticket, CancellationToken ct)
    {
        try
        {
            var lastRender = DateTime.UtcNow;
            await foreach (var chunk in sampling.Stream(ticket, ct))
            {
                cell.Append(chunk);
                if (DateTime.UtcNow - lastRender > TimeSpan.FromMilliseconds(100)) { lastRender = DateTime.UtcNow; await changed(); }
            }
            var scored = await Task.Run(() => scoring.ScoreTextAsync(cell.Checkpoint.Id, cell.Text, ct), ct);
            if (scored.Ok) cell.Bits = scored.Value.BitsPerChar;
        }
        catch (OperationCanceledException) { }
        finally
        {
            cell.End();
            await changed();
        }
    }

    /// <summary>Stores a cell's passage at a link of its own, with the settings that draw it again.</summary>
    public async Task SaveAsync(GridCell cell)
    {
        var r = cell.Request;
        var saved = await passages.CreateAsync(new PassageRequest(r.CheckpointId, r.Prime ?? "", r.Length, r.Temperature, r.TopK, r.Seed!.Value, cell.Text, r.TopP, r.Stop));
        if (saved.Ok) cell.ShareUrl = saved.Value.Url;
        else cell.Error = saved.Failure!.Detail;
    }

    public void Dispose() => _stop.Cancel();
}
