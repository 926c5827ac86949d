using CharRnn.Inference.Inside;
using CharRnn.Inference.Tokens;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Sampling;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Inside;

/// <summary>
/// Inside a checkpoint: its units' states for a text, the units that track a feature over its held-out passage
/// (Discover), and the units on across a selected stretch with the places they fire together (select and match). All is
/// computed when asked with the pure-C# engine (never libtorch, which a training run's threads hold) and nothing is
/// written; a Discover answer is kept in memory a while, since the page asks for every feature at once. Each request
/// takes a place among the samplings (<see cref="SamplingGate"/>), so the same limits bound it.
/// </summary>
public sealed class InsideService(CheckpointWeights weights, CheckpointScoring scoring, SamplingGate gate, IMemoryCache cache, IOptions<StudioOptions> options)
{
    /// <summary>Pieces of the held-out passage read side by side: one pass over the weights steps them all (<see cref="StateWalk"/>).</summary>
    private const int Pieces = 16;

    /// <summary>Units ranked per feature unless the request says otherwise, and at most.</summary>
    public const int DefaultTop = 20, MaxTop = 500;

    private StudioLimits Limits => options.Value.Limits;

    /// <summary>The start of the checkpoint's held-out passage, at most <paramref name="characters"/> long (the page shows a few thousand).</summary>
    public async Task<Result<HeldOutDto>> HeldOutAsync(int checkpointId, int characters, CancellationToken ct)
    {
        if (characters < 1 || characters > Limits.InsideHeldOutCharacters)
            return Failure.Invalid($"Characters must be between 1 and {Limits.InsideHeldOutCharacters:N0} ({StudioLimits.Raise(nameof(Limits.InsideHeldOutCharacters))}); it was {characters:N0}.");
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        var text = await TextOrHeldOutAsync(checkpointId, null, ct);
        if (!text.Ok) return text.Failure!;
        var runes = text.Value.EnumerateRunes().Take(characters).Select(r => r.ToString()).ToList();
        return new HeldOutDto(string.Concat(runes), runes.Count);
    }

    public async Task<Result<StatesResponse>> StatesAsync(int checkpointId, StatesRequest request, string? client, CancellationToken ct)
    {
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        var config = prepared.Value.Config;
        if (TextProblem(request.Text, "text") is { } problem) return problem;
        var layers = request.Layers ?? Enumerable.Range(0, config.Layers).ToList();
        var quantities = request.Quantities ?? Enum.GetValues<StateQuantity>();
        var units = request.Units ?? Enumerable.Range(0, config.Hidden).ToList();
        if (layers.Select(config.LayerProblem).Concat(units.Select(config.UnitProblem)).FirstOrDefault(p => p is not null) is { } outOfRange)
            return Failure.Invalid(outOfRange);
        var series = (long)layers.Count * quantities.Count * units.Count;
        if (series > Limits.MaxInsideSeries)
            return Failure.Invalid($"That asks for {series:N0} series (layers × quantities × units); the limit is {Limits.MaxInsideSeries:N0} ({StudioLimits.Raise(nameof(Limits.MaxInsideSeries))}). Name fewer units.");
        return await UnderGate(client, () =>
        {
            var tokens = prepared.Value.Vocabulary.Encode(request.Text, UnknownCharacters.ReadPast);
            var read = TextStates.Read(prepared.Value, tokens, layers, quantities, units);
            return new StatesResponse(TextFeatures.Characters(request.Text), read, Vocabulary.ReadPastPositions(tokens));
        }, ct);
    }

    public async Task<Result<UnitsResponse>> UnitsAsync(int checkpointId, UnitsRequest request, string? client, CancellationToken ct)
    {
        if ((request.Feature is null) == string.IsNullOrEmpty(request.Regex))
            return Failure.Invalid($"Give either a feature ({string.Join(", ", TextFeatures.All.Select(ContractsJson.Name))}) or a regex, not both or neither.");
        var top = request.Top ?? DefaultTop;
        if (top is < 1 or > MaxTop) return Failure.Invalid($"Top must be between 1 and {MaxTop}; it was {top}.");
        System.Text.RegularExpressions.Regex? regex = null;
        if (request.Regex is { Length: > 0 } pattern)
        {
            try { regex = FeatureRegex.Create(pattern); }
            catch (ArgumentException e) { return Failure.Invalid(e.Message); }
        }
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        if (request.Characters is < 2 || request.Characters > Limits.InsideHeldOutCharacters)
            return Failure.Invalid($"Characters must be between 2 and {Limits.InsideHeldOutCharacters:N0} ({StudioLimits.Raise(nameof(Limits.InsideHeldOutCharacters))}); it was {request.Characters:N0}.");
        var text = await TextOrHeldOutAsync(checkpointId, request.Text, ct, request.Characters);
        if (!text.Ok) return text.Failure!;

        // Every built-in feature is ranked in one pass and kept, so the page's five questions cost one walk.
        var key = (checkpointId, request.Text, request.Regex, request.Characters);
        if (!cache.TryGetValue(key, out Discovery? discovery))
        {
            var measured = await UnderGate(client, () =>
            {
                var characters = TextFeatures.Characters(text.Value);
                List<double[]> features;
                try { features = regex is null ? TextFeatures.All.Select(f => TextFeatures.Values(f, characters)).ToList() : [TextFeatures.Matches(regex, text.Value)]; }
                catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
                {
                    throw new ArgumentException($"The regular expression took longer than {FeatureRegex.Timeout.TotalSeconds:0} second over the text; simplify it.");
                }
                var tokens = prepared.Value.Vocabulary.Encode(text.Value, UnknownCharacters.ReadPast);
                return new Discovery(UnitCorrelations.Measure(prepared.Value, tokens, features, int.MaxValue, Pieces, ct: ct), characters.Length,
                    Vocabulary.ReadPastPositions(tokens));
            }, ct);
            if (!measured.Ok) return measured.Failure!;
            discovery = cache.Set(key, measured.Value, TimeSpan.FromMinutes(10));
        }
        var ranked = discovery!.Ranked[regex is null ? TextFeatures.All.ToList().IndexOf(request.Feature!.Value) : 0]
            .Where(u => (request.Layer is null || u.Layer == request.Layer) && (request.Quantity is null || u.Quantity == request.Quantity) && (request.Unit is null || u.Unit == request.Unit));
        return new UnitsResponse(ranked.Take(top).ToList(), discovery.Characters, discovery.Skipped);
    }

    /// <summary>Every unit ranked for each feature asked, over a text of so many characters, and the positions read past.</summary>
    private sealed record Discovery(IReadOnlyList<IReadOnlyList<RankedUnit>> Ranked, int Characters, IReadOnlyList<int> Skipped);

    /// <summary>How often each unit's gates are closed and open over the held-out passage (kept in memory a while).</summary>
    public async Task<Result<GatesResponse>> GatesAsync(int checkpointId, string? client, CancellationToken ct)
    {
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        var key = (checkpointId, "gates");
        if (cache.TryGetValue(key, out GatesResponse? known)) return known!;
        var heldOut = await TextOrHeldOutAsync(checkpointId, null, ct);
        if (!heldOut.Ok) return heldOut.Failure!;
        var counted = await UnderGate(client, () => new GatesResponse(
            GateSaturation.Measure(prepared.Value, prepared.Value.Vocabulary.Encode(heldOut.Value, UnknownCharacters.ReadPast), Pieces, ct: ct), heldOut.Value.EnumerateRunes().Count()), ct);
        if (counted.Ok) cache.Set(key, counted.Value, TimeSpan.FromMinutes(10));
        return counted;
    }

    public async Task<Result<SelectionResponse>> SelectAsync(int checkpointId, SelectionRequest request, string? client, CancellationToken ct)
    {
        if (request.Text is not null && TextProblem(request.Text, "text") is { } problem) return problem;
        var prepared = await weights.GetAsync(checkpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        var heldOut = await TextOrHeldOutAsync(checkpointId, null, ct);
        if (!heldOut.Ok) return heldOut.Failure!;
        return await UnderGate(client, () => StretchSelection.Select(prepared.Value, heldOut.Value, request.Text, request.Start, request.Length,
            request.Layer, request.Quantity, request.Threshold, Pieces, ct: ct), ct);
    }

    private Failure? TextProblem(string? text, string what) =>
        string.IsNullOrEmpty(text) ? Failure.Invalid($"The {what} is empty.")
        : text.Length > Limits.MaxInsideCharacters ? Failure.Invalid($"The {what} is {text.Length:N0} characters; the limit is {Limits.MaxInsideCharacters:N0} ({StudioLimits.Raise(nameof(Limits.MaxInsideCharacters))}).")
        : null;

    /// <summary>The text sent, within the limit, or the start of the checkpoint's held-out passage (<paramref name="characters"/> of it, by default the limit's).</summary>
    private async Task<Result<string>> TextOrHeldOutAsync(int checkpointId, string? text, CancellationToken ct, int? characters = null)
    {
        if (text is not null) return TextProblem(text, "text") is { } problem ? problem : text;
        var heldOut = await scoring.HeldOutTextAsync(checkpointId, ct, characters ?? Limits.InsideHeldOutCharacters);
        if (heldOut is null) return Failure.Invalid("This checkpoint was imported, so it has no book to take a held-out passage from: send a text.");
        if (heldOut.Length < 2) return Failure.Invalid("The held-out passage of this checkpoint's book is empty.");
        return heldOut;
    }

    /// <summary>Runs the work on the thread pool within a place among the samplings; a bad input it finds becomes a 400.</summary>
    private async Task<Result<T>> UnderGate<T>(string? client, Func<T> work, CancellationToken ct)
    {
        var place = await gate.EnterAsync(client, ct);
        if (!place.Ok) return place.Failure!;
        using (place.Value)
        {
            try { return await Task.Run(work, ct); }
            catch (ArgumentException e) { return Failure.Invalid(e.Message); }
        }
    }
}
