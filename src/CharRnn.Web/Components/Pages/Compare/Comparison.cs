using CharRnn.Inference.Sampling;
using CharRnn.Web.Components.Shared;
using CharRnn.Web.Features.Books;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Sampling;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The Compare page's work, apart from its markup: which checkpoints and settings (read from and written to the
/// address), each column's passage streamed from the server, every column's bits per character on one held-out text,
/// the runs' validation curves, and sharing a column. <paramref name="changed"/> redraws the page.
/// </summary>
public sealed class Comparison(RunService runs, CheckpointFiles checkpoints, SamplingService sampling, CheckpointScoring scoring,
    PassageService passages, RunHistory history, BookService books, Func<Task> changed) : IDisposable
{
    /// <summary>Characters of the held-out passage drawn shaded: the figure uses all of them.</summary>
    public const int ShownSurprise = 1200;

    private CancellationTokenSource _stop = new();
    private Dictionary<int, RunDto> _runs = [];

    /// <summary>The checkpoints to choose from, labelled.</summary>
    public CheckpointChoices Choices { get; private set; } = CheckpointChoices.None;
    public IReadOnlyCollection<int> Chosen { get; set; } = [];
    public string Prime { get; set; } = "The ";
    public int Length { get; set; } = 500;
    public double Temperature { get; set; } = 0.8;
    public int? TopK { get; set; } = 5;
    public int Seed { get; set; } = 1;
    public string? Pasted { get; set; }
    public bool DifferencesOnly { get; set; }

    public string? Problem { get; private set; }
    public string? HeldOutSource { get; private set; }
    public IReadOnlyList<CompareColumn> Columns { get; private set; } = [];
    public IReadOnlyList<LossOverlay.Curve> Curves { get; private set; } = [];
    /// <summary>The compared runs' books' letter-frequency lines: one, unnamed, when they share a book.</summary>
    public IReadOnlyList<(string? Book, double Loss)> References { get; private set; } = [];

    public bool CanCompare => Chosen.Count is >= 2 and <= 4 && Columns.All(c => !c.Sampling);

    /// <summary>This comparison's address: opened anywhere, it shows the same columns with the same passages.</summary>
    public string Address => SamplingAddress.Compare(Chosen.Take(4), Prime, Length, Temperature, TopK, Seed);

    /// <summary>The sample grid of these checkpoints with this prime, length and seed, across the grid's usual temperatures.</summary>
    public string GridAddress => SamplingAddress.Grid(Chosen.Take(4), Prime, Length, Seed, SampleGrid.DefaultColumns, acrossTopP: false, stop: null);

    /// <summary>Lists the checkpoints and takes the selection and settings from the page's address.</summary>
    public async Task LoadAsync(string? chosen, string? prime, int? length, string? temperature, string? topK, int? seed)
    {
        var listed = await runs.ListAsync();
        _runs = listed.ToDictionary(r => r.Id);
        Choices = new CheckpointChoices(await checkpoints.ListAsync(runId: null), listed);
        Prime = prime ?? Prime;
        Length = length ?? Length;
        Temperature = SamplingAddress.ReadNumber(temperature) ?? Temperature;
        TopK = SamplingAddress.ReadTopK(topK, absent: TopK);
        Seed = seed ?? Seed;
        (Chosen, Problem) = Choices.Read(chosen);
    }

    /// <summary>Whether the address asked for a comparison that can start at once (a shared link).</summary>
    public bool StartsAtOnce => Chosen.Count is >= 2 and <= 4 && Problem is null;

    /// <summary>Streams every column's passage and scores every column; returns when all are done (or stopped by a new comparison).</summary>
    public async Task CompareAsync()
    {
        await _stop.CancelAsync();
        _stop = new CancellationTokenSource();
        Columns = Chosen.Take(4).Select(id => Choices.Find(id)!)
            .Select(c => new CompareColumn(c, c.RunId is { } r ? _runs.GetValueOrDefault(r) : null)).ToList();
        Curves = await CurvesAsync();
        References = await ReferencesAsync();
        await changed();
        await Task.WhenAll(Columns.Select(c => StreamAsync(c, _stop.Token)).Append(ScoreAsync()));
    }

    private async Task StreamAsync(CompareColumn column, CancellationToken ct)
    {
        column.Begin();
        try
        {
            // Columns count against the server's total of samplings at once, as API clients' do.
            var started = await sampling.StartAsync(new SampleRequest(column.Checkpoint.Id, Prime, Length, Temperature, TopK, Seed), client: null, ct);
            if (!started.Ok) { column.Error = started.Failure!.Detail; return; }
            using var ticket = started.Value;
            var lastRender = DateTime.UtcNow;
            await foreach (var chunk in sampling.Stream(ticket, ct))
            {
                column.Append(chunk);
                if (DateTime.UtcNow - lastRender > TimeSpan.FromMilliseconds(80)) { lastRender = DateTime.UtcNow; await changed(); }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            column.End();
            await changed();
        }
    }

    /// <summary>Scores every column on one text: the pasted one, else the first column's book's held-out passage.</summary>
    public async Task ScoreAsync()
    {
        var text = string.IsNullOrWhiteSpace(Pasted) ? null : Pasted;
        var shared = text;
        foreach (var column in Columns)
            if (shared is null) shared = await scoring.HeldOutTextAsync(column.Checkpoint.Id);
        HeldOutSource = text is not null ? "The text is the one pasted below."
            : shared is not null ? $"The passage is the first {shared.EnumerateRunes().Count():N0} characters of the validation split of “{Columns.FirstOrDefault(c => c.Run is not null)?.Heading}”'s book, which no run trained on."
            : "None of these checkpoints has a book (all imported): paste a text below.";
        foreach (var column in Columns)
        {
            (column.Bits, column.BitsProblem) = (null, null);
            if (shared is null) { column.BitsProblem = "No held-out passage: paste a text."; continue; }
            var scored = await Task.Run(() => text is null ? scoring.ScoreAsync(column.Checkpoint.Id, shared) : scoring.ScoreTextAsync(column.Checkpoint.Id, text));
            (column.Bits, column.BitsProblem) = scored.Ok ? (scored.Value, (string?)null) : ((BitsResult?)null, scored.Failure!.Detail);
            await changed();
        }
    }

    /// <summary>Each run's validation curve, thinned for drawing, with the compared checkpoints marked on it.</summary>
    private async Task<IReadOnlyList<LossOverlay.Curve>> CurvesAsync()
    {
        var curves = new List<LossOverlay.Curve>();
        foreach (var group in Columns.Where(c => c.Run is not null).GroupBy(c => c.Run!.Id))
        {
            var evaluations = (await history.MetricsAsync(group.Key)).Where(m => m.ValLoss is not null).ToList();
            var points = MetricThinning.Thin(evaluations, RunHistory.MaxSnapshotPoints).Select(m => ((double)m.Step, m.ValLoss!.Value)).ToList();
            var marks = group.Where(c => c.Checkpoint.ValLoss is not null)
                .Select(c => ((double)c.Checkpoint.Step, c.Checkpoint.ValLoss!.Value, $"checkpoint {c.Checkpoint.Id}")).ToList();
            curves.Add(new LossOverlay.Curve(group.First().Heading, points, marks));
        }
        return curves;
    }

    private async Task<IReadOnlyList<(string? Book, double Loss)>> ReferencesAsync()
    {
        var measured = new List<BookDto>();
        foreach (var bookId in Columns.Where(c => c.Run is not null).Select(c => c.Run!.BookId).Distinct())
            if (await books.GetAsync(bookId) is { Ok: true, Value.FrequencyLoss: not null } book) measured.Add(book.Value);
        return measured.Select(b => (measured.Count > 1 ? b.Name : null, b.FrequencyLoss!.Value)).ToList();
    }

    public async Task ShareAsync(CompareColumn column)
    {
        var shared = await passages.CreateAsync(new PassageRequest(column.Checkpoint.Id, Prime, Length, Temperature, TopK, Seed, column.Text));
        if (shared.Ok) column.ShareUrl = shared.Value.Url;
        else column.Error = shared.Failure!.Detail;
    }

    public void Dispose() => _stop.Cancel();
}
