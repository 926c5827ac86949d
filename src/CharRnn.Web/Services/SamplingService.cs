using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CharRnn.Inference;
using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>
/// Generates text with the pure-C# engine of CharRnn.Inference (never libtorch, so sampling neither waits
/// for nor stalls a training run's threads). Weights are prepared once per checkpoint and shared, and every passage
/// drawn from a checkpoint at the same time is stepped in one batch (<see cref="SamplingBatcher"/>).
/// </summary>
public sealed class SamplingService(IDbContextFactory<StudioDbContext> db, DataFolder folder, Microsoft.Extensions.Options.IOptions<StudioOptions> options, SamplingBatcher batcher)
{
    /// <summary>Characters gathered into one streamed chunk at most, and the longest a chunk waits.</summary>
    private const int ChunkCharacters = 64;
    private static readonly TimeSpan ChunkDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>Prepared weights kept at once (a 2×512 model takes about 13 MB): enough for a comparison, bounded for a long-lived server.</summary>
    private const int CachedCheckpoints = 8;

    private readonly ConcurrentDictionary<int, Lazy<LstmWeights>> _weights = new();

    /// <summary>
    /// Checks a request; returns what is wrong in sentences with the HTTP status that fits (400 bad request, 404 no such
    /// checkpoint or file, 409 a damaged file), or the weights and the options to draw with.
    /// </summary>
    public async Task<(LstmWeights? Weights, SampleOptions? Options, string? Problem, int Status)> PrepareAsync(SampleRequest request, CancellationToken ct)
    {
        LstmWeights? weights;
        try { weights = await WeightsAsync(request.CheckpointId, ct); }
        catch (CheckpointUnavailableException e) { return (null, null, e.Message, e.StatusCode); }
        if (weights is null) return (null, null, $"There is no checkpoint {request.CheckpointId}.", 404);
        var limits = options.Value.Limits;
        if (request.Prime is { Length: var primeLength } && primeLength > limits.MaxPrimeCharacters)
            return (null, null, $"The prime is {primeLength:N0} characters; the limit is {limits.MaxPrimeCharacters:N0} ({StudioLimits.Raise(nameof(limits.MaxPrimeCharacters))}).", 400);
        if (request.Length > limits.MaxSampleLength)
            return (null, null, $"Length is {request.Length:N0} characters; the limit is {limits.MaxSampleLength:N0} ({StudioLimits.Raise(nameof(limits.MaxSampleLength))}).", 400);
        var sampleOptions = new SampleOptions(request.Prime ?? "", request.Length, request.Temperature, request.TopK, request.Seed).WithSeed();
        var problems = sampleOptions.Problems(weights.Vocabulary);
        return problems.Count > 0 ? (null, null, string.Join(" ", problems), 400) : (weights, sampleOptions, null, 200);
    }

    /// <summary>The prepared weights of a checkpoint, or null when the store has no such checkpoint.</summary>
    /// <exception cref="CheckpointUnavailableException">Its file is missing or damaged.</exception>
    public async Task<LstmWeights?> WeightsAsync(int checkpointId, CancellationToken ct)
    {
        if (_weights.TryGetValue(checkpointId, out var cached)) return cached.Value;
        await using var context = await db.CreateDbContextAsync(ct);
        var record = await context.Checkpoints.FindAsync([checkpointId], ct);
        if (record is null) return null;
        var path = folder.Absolute(record.RelativePath);
        if (_weights.Count >= CachedCheckpoints) _weights.Clear(); // samplers under way keep the weights they hold
        if (!File.Exists(path)) throw new CheckpointUnavailableException(checkpointId, missing: true, $"{record.RelativePath} is not there.");
        var lazy = _weights.GetOrAdd(checkpointId, _ => new Lazy<LstmWeights>(() => new LstmWeights(CheckpointFile.Read(path), options.Value.SamplingPrecision)));
        try { return lazy.Value; }
        catch (CheckpointFormatException e)
        {
            _weights.TryRemove(new(checkpointId, lazy)); // a repaired file is read again
            throw new CheckpointUnavailableException(checkpointId, missing: false, e.Message);
        }
    }

    /// <summary>Most passages one variations request draws side by side.</summary>
    public const int MaxVariations = 8;

    /// <summary>Why a variations request's count is refused, or null when it is between 1 and <see cref="MaxVariations"/>.</summary>
    public static string? VariationsProblem(int count) =>
        count is < 1 or > MaxVariations ? $"Count must be between 1 and {MaxVariations}; it was {count}." : null;

    /// <summary>The whole text at once (prime included); stops when <paramref name="ct"/> is cancelled (the client went away).</summary>
    public async Task<string> GenerateAsync(LstmWeights weights, SampleOptions sample, CancellationToken ct = default)
    {
        var text = new System.Text.StringBuilder(sample.Prime);
        await foreach (var c in batcher.Draw(weights, sample, ct).ReadAllAsync(ct)) text.Append(c);
        return text.ToString();
    }

    /// <summary>
    /// Chunks of text as they are drawn, the first beginning with the prime. The passage is drawn in its checkpoint's
    /// batch; a chunk goes out when it is full or has waited long enough.
    /// </summary>
    public IAsyncEnumerable<string> Stream(LstmWeights weights, SampleOptions sample, CancellationToken ct) =>
        Chunks(batcher.Draw(weights, sample, ct), sample.Prime, ct);

    /// <summary>
    /// <paramref name="count"/> passages from one prime, with seeds <c>seed</c>, <c>seed + 1</c>, …, drawn in one batch:
    /// chunks tagged with their passage's index, each passage's first chunk beginning with the prime.
    /// </summary>
    public async IAsyncEnumerable<VariationChunk> Variations(LstmWeights weights, SampleOptions sample, int count, [EnumeratorCancellation] CancellationToken ct)
    {
        var merged = Channel.CreateUnbounded<VariationChunk>(new UnboundedChannelOptions { SingleReader = true });
        var seed = sample.WithSeed().Seed!.Value;
        var pumps = Enumerable.Range(0, count).Select(async i =>
        {
            var options = sample with { Seed = unchecked(seed + i) };
            await foreach (var chunk in Chunks(batcher.Draw(weights, options, ct), options.Prime, ct))
                await merged.Writer.WriteAsync(new VariationChunk(i, options.Seed!.Value, chunk), ct);
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(t => merged.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        await foreach (var chunk in merged.Reader.ReadAllAsync(ct)) yield return chunk;
    }

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
