using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Inside;
using CharRnn.Inference.Lstm;
using CharRnn.Web.Client.Sampling;
using CharRnn.Web.Client.Shared;

namespace CharRnn.Web.Client.Pages;

/// <summary>
/// The Inside page's work, apart from its markup. The text shown is read in this browser, by the checkpoint downloaded
/// once (the Generate page's cache) and stepped in the WebAssembly module with the server's bits, so colouring by
/// another unit, hovering and typing cost no request. Discover and select-and-match read the held-out passage, 20,000
/// characters, on the server. <paramref name="changed"/> redraws the page.
/// </summary>
public sealed class InsideSession(HttpClient http, IModelSource models, Action changed)
{
    /// <summary>Characters of the held-out passage shown: a few screens, read here in about a second.</summary>
    public const int ShownCharacters = 2000;

    /// <summary>Read in chunks of this long before yielding to the browser, so the page stays live.</summary>
    private const double ChunkMilliseconds = 12;

    private ICharModel? _model;
    private int _modelId;

    public InsideAddress View { get; private set; } = new(0);
    /// <summary>The checkpoints to choose from; null while they are being listed.</summary>
    public CheckpointChoices? Checkpoints { get; private set; }
    public ModelConfig? Config => _model?.Config;
    public TextReading? Reading { get; private set; }
    /// <summary>The text the view reads: the held-out passage's start, the text typed, or the passage opened.</summary>
    public string Text { get; private set; } = "";
    public string? Error { get; private set; }
    public string? Loading { get; private set; }
    /// <summary>How long the last keystroke took to read and colour, in milliseconds, and the characters then shown (set by the page once it has drawn).</summary>
    public (double Milliseconds, int Characters)? Keystroke { get; set; }
    public SelectionResponse? Selection { get; private set; }
    public UnitsResponse? Discovered { get; private set; }
    public GatesResponse? Gates { get; private set; }
    /// <summary>r at each checkpoint of the run, as drawn so far.</summary>
    public List<OverTrainingPoint>? OverTraining { get; private set; }
    public bool Asking { get; private set; }

    /// <summary>Lists the checkpoints, takes the view the address gives (its checkpoint, else the best one) and reads its text.</summary>
    public async Task LoadAsync(InsideAddress view)
    {
        try
        {
            Checkpoints = await CheckpointListing.LoadAsync(http);
            var chosen = Checkpoints.Choose(view.CheckpointId);
            if (chosen == 0) return;
            await ShowAsync(view with { CheckpointId = chosen });
            if (View.Feature is not null || View.Regex is not null) await DiscoverAsync();
            if (View.Span is not null) await FindAsync();
        }
        catch (HttpRequestException e)
        {
            Checkpoints ??= CheckpointChoices.None;
            Error = $"The checkpoints could not be listed: {e.Message}";
        }
    }

    /// <summary>Moves to another view: reads the text again only where the checkpoint, the text or the layer changed.</summary>
    public async Task ShowAsync(InsideAddress view)
    {
        var reread = Reading is null || view.CheckpointId != View.CheckpointId || view.Source != View.Source || view.Passage != View.Passage
            || view.Layer != View.Layer || (view.Source == InsideSource.Text && view.Text != View.Text);
        if (view.CheckpointId != View.CheckpointId) (Selection, Discovered, Gates) = (null, null, null);
        View = view;
        Error = null;
        if (!reread) { ClampUnit(); return; }
        try
        {
            if (_model is null || _modelId != view.CheckpointId)
            {
                Loading = "Loading the model into this browser…";
                changed();
                (_model, _) = await models.LoadAsync(view.CheckpointId, (_, _) => { }, dotnetKernel: false);
                _modelId = view.CheckpointId;
            }
            if (view.Layer >= _model.Config.Layers) View = View with { Layer = _model.Config.Layers - 1 };
            Loading = "Reading the text…";
            changed();
            Text = await TextOfAsync(View);
            await ReadAsync(Text);
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or CheckpointFormatException or Microsoft.JSInterop.JSException)
        {
            Error = e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized }
                ? "The held-out passage comes from the server, which asks its owner to sign in (/signin). A text of your own needs no one."
                : e.Message;
        }
        finally
        {
            Loading = null;
            ClampUnit();
            changed();
        }
    }

    private void ClampUnit()
    {
        if (Config is { } config && View.Unit >= config.Hidden) View = View with { Unit = config.Hidden - 1 };
    }

    private async Task<string> TextOfAsync(InsideAddress view) => view.Source switch
    {
        InsideSource.Text => view.Text ?? "",
        InsideSource.Passage => (await http.GetFromJsonAsync<PassageDto>($"/api/passages/{Uri.EscapeDataString(view.Passage ?? "")}", ContractsJson.Options))!.Text,
        _ => (await http.GetFromJsonAsync<HeldOutDto>($"/api/checkpoints/{view.CheckpointId}/held-out?characters={ShownCharacters}", ContractsJson.Options))!.Text,
    };

    /// <summary>Reads the text from a zero state in chunks of about 12 ms, yielding between them.</summary>
    private async Task ReadAsync(string text)
    {
        Reading = new TextReading(_model!, View.Layer);
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        var clock = Stopwatch.StartNew();
        for (var at = 0; at < runes.Count;)
        {
            var start = clock.Elapsed.TotalMilliseconds;
            while (at < runes.Count && clock.Elapsed.TotalMilliseconds - start < ChunkMilliseconds) Reading.Read(runes[at++]);
            changed();
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Type and watch: a text that only grew is read on from where it stopped, a character at a time being what a
    /// keystroke costs; any other edit reads it again from the start. The view stays on the text typed.
    /// </summary>
    public async Task TypeAsync(string text)
    {
        if (_model is null) return;
        var view = View with { Source = InsideSource.Text, Text = text, Span = null };
        if (Reading is not null && View.Source == InsideSource.Text && text.StartsWith(Text, StringComparison.Ordinal))
        {
            Reading.Read(text[Text.Length..]);
            (View, Text, Error) = (view, text, null);
            return;
        }
        await ShowAsync(view);
    }

    /// <summary>Select to find: the units on across the selected stretch, and where in the held-out passage they are on together.</summary>
    public async Task FindAsync(double threshold = 0.3)
    {
        if (View.Span is not { } span) return;
        var request = new SelectionRequest(span.Start, span.End - span.Start, View.Layer, View.Quantity,
            View.Source == InsideSource.HeldOut ? null : Text, threshold);
        Selection = await AskAsync<SelectionResponse>($"/api/checkpoints/{View.CheckpointId}/selection", request) ?? Selection;
    }

    /// <summary>Discover: the units that track the view's feature or regular expression over the held-out passage.</summary>
    public async Task DiscoverAsync()
    {
        var request = new UnitsRequest(View.Regex is null ? View.Feature ?? TextFeature.Quotes : null, View.Regex, Top: 60);
        Discovered = await AskAsync<UnitsResponse>($"/api/checkpoints/{View.CheckpointId}/units", request) ?? Discovered;
    }

    /// <summary>Gates: how often each unit's gates are closed and open over the held-out passage.</summary>
    public async Task LoadGatesAsync()
    {
        Gates = await AskAsync<GatesResponse>($"/api/checkpoints/{View.CheckpointId}/gates", null) ?? Gates;
    }

    /// <summary>Characters of the held-out passage read at each checkpoint for the line over training: enough for r, a second each for a 2×512 model.</summary>
    public const int OverTrainingCharacters = 5000;

    /// <summary>
    /// Over training: for <paramref name="feature"/>, at every checkpoint of this checkpoint's run, oldest first, the best
    /// unit's |r|, or with <paramref name="thisUnit"/> the unit shown's r. The line grows as each checkpoint answers.
    /// </summary>
    public async Task DrawOverTrainingAsync(TextFeature feature, bool thisUnit)
    {
        var current = Checkpoints?.Find(View.CheckpointId);
        if (current?.RunId is not { } run) { Error = "This checkpoint was imported: it has no run whose checkpoints to follow."; return; }
        OverTraining = [];
        // Listed afresh: a run still training has written checkpoints since the page opened.
        List<CheckpointDto> checkpoints;
        try { checkpoints = await http.GetFromJsonAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run}", ContractsJson.Options) ?? []; }
        catch (HttpRequestException e) { Error = $"The run's checkpoints could not be listed: {e.Message}"; return; }
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Step))
        {
            var request = thisUnit
                ? new UnitsRequest(feature, Top: 1, Layer: View.Layer, Quantity: View.Quantity, Unit: View.Unit, Characters: OverTrainingCharacters)
                : new UnitsRequest(feature, Top: 1, Characters: OverTrainingCharacters);
            if (await AskAsync<UnitsResponse>($"/api/checkpoints/{checkpoint.Id}/units", request) is not { } answer) break;
            if (answer.Units is not [var unit, ..])
            {
                Error = $"No unit has an r with this feature at step {checkpoint.Step:N0}: it never changes over the held-out passage's first {answer.Characters:N0} characters (a book without quotes, say), or the unit never changes.";
                break;
            }
            // The best unit's strength, |r| (which unit is best, and its sign, can change from one checkpoint to the next); one unit's r as it is.
            OverTraining.Add(new OverTrainingPoint(checkpoint.Step, thisUnit ? unit.R : Math.Abs(unit.R), $"layer {unit.Layer}, {ContractsJson.Name(unit.Quantity)} {unit.Unit}"));
            changed();
        }
    }

    /// <summary>A GET (no <paramref name="request"/>) or a POST of it; a refusal becomes <see cref="Error"/> and null.</summary>
    private async Task<T?> AskAsync<T>(string path, object? request) where T : class
    {
        (Asking, Error) = (true, null);
        changed();
        try
        {
            var response = request is null ? await http.GetAsync(path) : await http.PostAsJsonAsync(path, request, ContractsJson.Options);
            if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<T>(ContractsJson.Options);
            Error = response.StatusCode == HttpStatusCode.Unauthorized
                ? "This view reads the held-out passage on the server, which asks its owner to sign in (/signin)."
                : await ProblemReading.DetailAsync(response);
            return null;
        }
        catch (HttpRequestException e) { Error = e.Message; return null; }
        finally
        {
            Asking = false;
            changed();
        }
    }
}

/// <summary>One point of the line over training: a checkpoint's step, the r found there and which unit had it.</summary>
public sealed record OverTrainingPoint(long Step, double R, string Unit);
