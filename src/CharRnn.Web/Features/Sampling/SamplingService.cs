using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Sampling;

/// <summary>A sampling the server agreed to draw: the prepared weights, the checked options (seed chosen) and its place among the samplings at once, given back on dispose.</summary>
public sealed record SamplingTicket(LstmWeights Weights, SampleOptions Options, IDisposable Place) : IDisposable
{
    public void Dispose() => Place.Dispose();
}

/// <summary>
/// Generates text with the pure-C# engine of CharRnn.Inference (never libtorch, so sampling neither waits
/// for nor stalls a training run's threads). Weights are prepared once per checkpoint and shared
/// (<see cref="CheckpointWeights"/>), and every passage drawn from a checkpoint at the same time is stepped in one
/// batch (<see cref="SamplingBatcher"/>). The REST API, the sampling hub and the Compare page all draw through here.
/// </summary>
public sealed class SamplingService(CheckpointWeights weights, SamplingGate gate, IOptions<StudioOptions> options, SamplingBatcher batcher)
{
    /// <summary>Characters gathered into one streamed chunk at most, and the longest a chunk waits.</summary>
    private const int ChunkCharacters = 64;
    private static readonly TimeSpan ChunkDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>Most passages one variations request draws side by side.</summary>
    public const int MaxVariations = 8;

    /// <summary>
    /// Checks a request and takes a place among the samplings at once (<see cref="SamplingGate"/>): the weights and the
    /// options to draw with, or why not (no such checkpoint or file, a damaged file, options out of range, too many at once).
    /// </summary>
    /// <param name="client">Who asks (an address), for the per-client limit; null for the server's own pages, which count against the total only.</param>
    public async Task<Result<SamplingTicket>> StartAsync(SampleRequest request, string? client, CancellationToken ct)
    {
        var checkedRequest = await CheckAsync(request, ct);
        if (!checkedRequest.Ok) return checkedRequest.Failure!;
        var place = await gate.EnterAsync(client, ct);
        if (!place.Ok) return place.Failure!;
        return new SamplingTicket(checkedRequest.Value.Weights, checkedRequest.Value.Options, place.Value);
    }

    /// <summary>
    /// Checks several requests drawn together (the sample grid's cells) and takes one place among the samplings for all
    /// of them, as variations do: the tickets share it, and disposing any one gives it back.
    /// </summary>
    public async Task<Result<SamplingTicket[]>> StartTogetherAsync(IReadOnlyList<SampleRequest> requests, string? client, CancellationToken ct)
    {
        var cells = new List<(LstmWeights Weights, SampleOptions Options)>();
        foreach (var request in requests)
        {
            var checkedRequest = await CheckAsync(request, ct);
            if (!checkedRequest.Ok) return checkedRequest.Failure!;
            cells.Add(checkedRequest.Value);
        }
        var place = await gate.EnterAsync(client, ct);
        if (!place.Ok) return place.Failure!;
        return cells.Select(c => new SamplingTicket(c.Weights, c.Options, place.Value)).ToArray();
    }

    /// <summary>The prepared weights and the checked options (seed chosen) of a request, or why it cannot be drawn.</summary>
    private async Task<Result<(LstmWeights Weights, SampleOptions Options)>> CheckAsync(SampleRequest request, CancellationToken ct)
    {
        var prepared = await weights.GetAsync(request.CheckpointId, ct);
        if (!prepared.Ok) return prepared.Failure!;
        var limits = options.Value.Limits;
        if (request.Prime is { Length: var primeLength } && primeLength > limits.MaxPrimeCharacters)
            return Failure.Invalid($"The prime is {primeLength:N0} characters; the limit is {limits.MaxPrimeCharacters:N0} ({StudioLimits.Raise(nameof(limits.MaxPrimeCharacters))}).");
        if (request.Length > limits.MaxSampleLength)
            return Failure.Invalid($"Length is {request.Length:N0} characters; the limit is {limits.MaxSampleLength:N0} ({StudioLimits.Raise(nameof(limits.MaxSampleLength))}).");
        var sample = new SampleOptions(request.Prime ?? "", request.Length, request.Temperature, request.TopK, request.Seed, request.TopP, request.Stop, request.Beam).WithSeed();
        var problems = sample.Problems(prepared.Value.Vocabulary);
        if (problems.Count > 0) return Failure.Invalid(problems);
        return (prepared.Value, sample);
    }

    /// <summary>As <see cref="StartAsync"/> for several passages drawn together, which count as one sampling against the limits.</summary>
    public async Task<Result<SamplingTicket>> StartVariationsAsync(VariationsRequest request, string? client, CancellationToken ct) =>
        request.Count is < 1 or > MaxVariations
            ? Failure.Invalid($"Count must be between 1 and {MaxVariations}; it was {request.Count}.")
            : await StartAsync(request.Sample, client, ct);

    /// <summary>The whole answer at once (text with its prime, seed, why it ended, a beam's score); stops when <paramref name="ct"/> is cancelled (the client went away).</summary>
    public async Task<SampleResponse> GenerateAsync(SamplingTicket ticket, CancellationToken ct = default)
    {
        var text = new System.Text.StringBuilder(ticket.Options.Prime);
        var drawing = Start(ticket.Options, ticket, ct);
        await foreach (var c in drawing.Characters.ReadAllAsync(ct)) text.Append(c);
        return new SampleResponse(text.ToString(), ticket.Options.Seed!.Value, drawing.EndedBy, drawing.BeamScore?.LogProbability, drawing.BeamScore?.BitsPerCharacter);
    }

    /// <summary>
    /// Chunks of text as they are drawn, the first beginning with the prime. The passage is drawn in its checkpoint's
    /// batch; a chunk goes out when it is full or has waited long enough.
    /// </summary>
    public IAsyncEnumerable<string> Stream(SamplingTicket ticket, CancellationToken ct) =>
        Chunks(Start(ticket.Options, ticket, ct).Characters, ticket.Options.Prime, ct);

    /// <summary>
    /// <paramref name="count"/> passages from one prime, with seeds <c>seed</c>, <c>seed + 1</c>, …, drawn in one batch:
    /// chunks tagged with their passage's index, each passage's first chunk beginning with the prime, its last one
    /// saying why it ended.
    /// </summary>
    public async IAsyncEnumerable<VariationChunk> Variations(SamplingTicket ticket, int count, [EnumeratorCancellation] CancellationToken ct)
    {
        var merged = Channel.CreateUnbounded<VariationChunk>(new UnboundedChannelOptions { SingleReader = true });
        var seed = ticket.Options.Seed!.Value;
        var pumps = Enumerable.Range(0, count).Select(async i =>
        {
            var options = ticket.Options with { Seed = unchecked(seed + i) };
            var drawing = Start(options, ticket, ct);
            await foreach (var chunk in Chunks(drawing.Characters, options.Prime, ct))
                await merged.Writer.WriteAsync(new VariationChunk(i, options.Seed!.Value, chunk), ct);
            await merged.Writer.WriteAsync(new VariationChunk(i, options.Seed!.Value, "", drawing.EndedBy), ct);
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(t => merged.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        await foreach (var chunk in merged.Reader.ReadAllAsync(ct)) yield return chunk;
    }

    private PassageDrawing Start(SampleOptions options, SamplingTicket ticket, CancellationToken ct) =>
        PassageDrawing.Start(ticket.Weights, options.WithSeed(), batcher, ct);

    private static async IAsyncEnumerable<string> Chunks(ChannelReader<string> reader, string prime, [EnumeratorCancellation] CancellationToken ct)
    {
        var chunk = new System.Text.StringBuilder(prime);
        while (await reader.WaitToReadAsync(ct))
        {
            var deadline = DateTime.UtcNow + ChunkDelay;
            while (chunk.Length < ChunkCharacters && DateTime.UtcNow < deadline)
            {
                if (reader.TryRead(out var c)) chunk.Append(c);
                else if (!await WaitBriefly(reader, deadline, ct)) break;
            }
            if (chunk.Length > 0)
            {
                yield return chunk.ToString();
                chunk.Clear();
            }
        }
        if (chunk.Length > 0) yield return chunk.ToString();
    }

    private static async Task<bool> WaitBriefly(ChannelReader<string> reader, DateTime deadline, CancellationToken ct)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero) return false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(left);
        try { return await reader.WaitToReadAsync(timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }
}
