using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Sampling;
using CharRnn.Web.Client.Sampling;
using CharRnn.Web.Client.Shared;

namespace CharRnn.Web.Client.Pages;

/// <summary>
/// The Generate page's work, apart from its markup: the checkpoints to choose from, the settings, and drawing a passage
/// in this browser (the model downloaded once and cached, the sampler run in short chunks so the page stays live) or on
/// the server (streamed through the sampling hub, one passage or several side by side), then sharing it.
/// <paramref name="changed"/> redraws the page.
/// </summary>
public sealed class GenerateSession(HttpClient http, IModelSource models, ServerSampling server, Action changed)
{
    /// <summary>Sample in chunks of this long before yielding to the browser, so the page stays responsive (a long task is 50 ms).</summary>
    private const double ChunkMilliseconds = 12;

    private CancellationTokenSource? _drawing;
    private SampleEnding? _endedHere; // why a passage drawn in this browser ended, as its sampler says

    public GenerateSettings Settings { get; } = new();
    public GeneratedText Output { get; } = new();
    /// <summary>The checkpoints to choose from; null while they are being listed.</summary>
    public CheckpointChoices? Checkpoints { get; private set; }
    public string? Error { get; private set; }
    public string? ShareUrl { get; private set; }
    /// <summary>Whether the chosen model is in this browser's cache (only asked while sampling here).</summary>
    public bool Cached { get; private set; }
    /// <summary>The model's download as it goes: bytes so far and in all.</summary>
    public (double Loaded, double Total)? Download { get; private set; }
    /// <summary>Step with .NET's own engine in the browser instead of the WebAssembly module (the bench's comparison).</summary>
    public bool DotnetKernel { get; set; }

    public CheckpointDto? Selected => Checkpoints?.Find(Settings.CheckpointId);

    /// <summary>This page's address: its settings, with the seed of the text shown when the form leaves the seed empty.</summary>
    public string Address => Settings.Address(Output.Drawn?.Seed);

    /// <summary>Why the chosen model is sampled on the server only, or null.</summary>
    public string? BrowserRefusal => Selected is { SizeBytes: > IModelSource.MaxBytes } big
        ? $"This model's weights ({Megabytes(big.SizeBytes)}) are over the {Megabytes(IModelSource.MaxBytes)} a browser tab is given: it samples on the server."
        : null;

    public static string Megabytes(long bytes) => $"{bytes / 1e6:N1} MB";

    /// <summary>
    /// Lists the checkpoints and chooses one: <paramref name="checkpoint"/>, else the best of <paramref name="run"/>, else
    /// the best overall. Where to sample: the address's choice, else this browser's last one.
    /// </summary>
    public async Task LoadAsync(int? checkpoint, int? run, string? where)
    {
        try
        {
            Checkpoints = await CheckpointListing.LoadAsync(http);
            Settings.CheckpointId = Checkpoints.Choose(checkpoint, run);
        }
        catch (HttpRequestException e)
        {
            Checkpoints = CheckpointChoices.None;
            Error = $"The checkpoints could not be listed: {e.Message}";
        }
        Settings.Where = ContractsJson.Parse<SamplingPlace>(where) == SamplingPlace.Browser && BrowserRefusal is null ? SamplingPlace.Browser : SamplingPlace.Server;
        await RefreshCacheStateAsync();
    }

    public async Task SelectCheckpointAsync(int id)
    {
        Settings.CheckpointId = id;
        if (BrowserRefusal is not null) Settings.Where = SamplingPlace.Server;
        await RefreshCacheStateAsync();
    }

    public async Task SetWhereAsync(SamplingPlace where)
    {
        Settings.Where = where;
        await RefreshCacheStateAsync();
    }

    private async Task RefreshCacheStateAsync() =>
        Cached = Settings.Where == SamplingPlace.Browser && Settings.CheckpointId != 0 && await models.IsCachedAsync(Settings.CheckpointId);

    public async Task ForgetAsync()
    {
        await models.ForgetAsync(Settings.CheckpointId);
        await RefreshCacheStateAsync();
    }

    /// <summary>Draws with the settings as they stand until done or <see cref="Stop"/>; a failure becomes <see cref="Error"/>.</summary>
    public async Task GenerateAsync()
    {
        (Error, ShareUrl) = (null, null);
        _drawing = new CancellationTokenSource();
        // Chosen here when the form has none, so the page can show it and an address can repeat it.
        var seed = Settings.Seed ?? SeededRandom.NewSeed();
        var cancelled = false;
        _endedHere = null;
        try
        {
            if (Settings.Variations > 1) await StreamVariationsAsync(seed, _drawing.Token);
            else if (Settings.Where == SamplingPlace.Browser) await SampleHereAsync(seed, _drawing.Token);
            else await StreamFromServerAsync(seed, _drawing.Token);
        }
        catch (OperationCanceledException) { cancelled = true; }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            Error = "Sampling on the server needs the app's owner to sign in (/signin). Sampling in this browser needs no one.";
        }
        catch (Exception e) when (e is ArgumentException or Microsoft.AspNetCore.SignalR.HubException or HttpRequestException or CheckpointFormatException
                                      or Microsoft.JSInterop.JSException)
        {
            Error = e.Message;
        }
        finally
        {
            Output.End(_endedHere, cancelled);
            Download = null;
            changed();
        }
    }

    public void Stop() => _drawing?.Cancel();

    /// <summary>
    /// Samples here with the same <see cref="Sampler"/> and seeded generator as the server, in chunks of about 12 ms,
    /// yielding between them so the page stays live and Stop is seen within a chunk.
    /// </summary>
    private async Task SampleHereAsync(int seed, CancellationToken ct)
    {
        var request = Settings.Request(seed);
        var options = new SampleOptions(request.Prime ?? "", request.Length, request.Temperature, request.TopK, seed, request.TopP, request.Stop, request.Beam);
        var (model, downloaded) = await models.LoadAsync(Settings.CheckpointId, (loaded, total) => { Download = (loaded, total); changed(); }, DotnetKernel);
        Download = null;
        if (downloaded) await RefreshCacheStateAsync();
        var sampler = new Sampler(model);
        using var characters = sampler.Generate(options).GetEnumerator(); // checks the options before the first character
        Output.Begin(request, SamplingPlace.Browser);
        Output.AppendDrawn(options.Prime, 0);
        var chunk = new StringBuilder();
        var clock = Stopwatch.StartNew();
        for (var more = true; more;)
        {
            var start = clock.Elapsed.TotalMilliseconds;
            var count = 0;
            while ((more = characters.MoveNext()) && !ct.IsCancellationRequested)
            {
                chunk.Append(characters.Current);
                count++;
                if (clock.Elapsed.TotalMilliseconds - start >= ChunkMilliseconds) break;
            }
            Output.AppendDrawn(chunk.ToString(), count);
            chunk.Clear();
            changed();
            await Task.Delay(1, CancellationToken.None); // a macrotask: the browser renders and handles clicks here
            ct.ThrowIfCancellationRequested();
        }
        _endedHere = sampler.EndedBy;
    }

    private async Task StreamFromServerAsync(int seed, CancellationToken ct)
    {
        var request = Settings.Request(seed);
        var first = true;
        await foreach (var chunk in Redrawing(server.Sample(request, ct)))
        {
            if (first) Output.Begin(request, SamplingPlace.Server); // the text shown stays until the server answers
            first = false;
            Output.Append(chunk);
        }
    }

    /// <summary>Variations always come from the server: there one pass over the weights steps all of them at once.</summary>
    private async Task StreamVariationsAsync(int seed, CancellationToken ct)
    {
        var request = Settings.VariationsRequest(seed);
        Output.Begin(request.Sample, SamplingPlace.Server);
        await foreach (var chunk in Redrawing(server.Variations(request, ct)))
            Output.AppendVariation(chunk.Index, chunk.Seed, chunk.Text);
    }

    /// <summary>The stream's items, redrawing the page at most every 50 ms while they arrive.</summary>
    private async IAsyncEnumerable<T> Redrawing<T>(IAsyncEnumerable<T> items)
    {
        var lastRender = DateTime.UtcNow;
        await foreach (var item in items)
        {
            yield return item;
            if (DateTime.UtcNow - lastRender > TimeSpan.FromMilliseconds(50)) { lastRender = DateTime.UtcNow; changed(); }
        }
    }

    /// <summary>Stores the passage shown at a link of its own, with the settings it was drawn with.</summary>
    public async Task ShareAsync()
    {
        if (Output.Drawn is not { } d) return;
        var response = await http.PostAsJsonAsync("/api/passages",
            new PassageRequest(d.CheckpointId, d.Prime ?? "", d.Length, d.Temperature, d.TopK, d.Seed!.Value, Output.Text, d.TopP, d.Stop, d.Beam), ContractsJson.Options);
        if (response.StatusCode == HttpStatusCode.Unauthorized) { Error = "Sharing stores the passage on the server: the app's owner signs in to do it (/signin)."; return; }
        if (!response.IsSuccessStatusCode) { Error = $"The passage could not be shared: {await ProblemReading.DetailAsync(response)}"; return; }
        ShareUrl = (await response.Content.ReadFromJsonAsync<PassageDto>(ContractsJson.Options))!.Url;
    }
}
