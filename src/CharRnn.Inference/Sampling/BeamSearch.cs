using CharRnn.Contracts;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>
/// The likeliest continuation of a prime that a beam of <see cref="SampleOptions.Beam"/> candidates finds: at each
/// character every candidate is extended by every character, and the <c>width</c> extensions with the highest total
/// log-probability (softmax of logits / temperature) go on. Width 1 is greedy decoding. No draw is random, so the seed
/// only chooses the first character when there is no prime, as it does for a sampled passage.
/// <para>
/// One model follows every candidate in turn, its state saved and loaded between them (<see cref="ICharModel.SaveState"/>),
/// so the browser's WebAssembly model runs it as the server's engine does, with the same arithmetic and so the same text.
/// Characters are handed out as soon as every candidate still in the running agrees on them.
/// </para>
/// </summary>
public sealed class BeamSearch(ICharModel model)
{
    public const int MaxWidth = 8;

    private readonly Vocabulary _vocabulary = model.Vocabulary;

    /// <summary>Why the search ended, once it has: its best candidate ended at a stop, or reached the length.</summary>
    public SampleEnding? EndedBy { get; private set; }

    /// <summary>The natural-log probability of the continuation found, at the temperature asked for; NaN before the end.</summary>
    public double LogProbability { get; private set; } = double.NaN;

    /// <summary>Characters of the continuation found (code points).</summary>
    public int Characters { get; private set; }

    /// <summary>Bits per character of the continuation under the model at that temperature: −log₂ p over its length.</summary>
    public double BitsPerCharacter => Characters == 0 ? 0 : -LogProbability / Characters / Math.Log(2);

    /// <summary>A continuation: its tokens, their total log-probability, the state before <see cref="Next"/> is fed, and whether it ended at a stop.</summary>
    private sealed record Candidate(int[] Tokens, double LogProbability, float[] State, int Next, bool Stopped);

    /// <summary>The continuation's characters (one code point each), as they become certain; checked options with a seed.</summary>
    public IEnumerable<string> Search(SampleOptions options)
    {
        var width = options.Beam ?? 1;
        var stops = options.Stops;
        var prime = _vocabulary.Encode(options.Prime);
        var size = model.StateSize;
        (EndedBy, LogProbability, Characters) = (null, double.NaN, 0);

        // Prime as a sampled passage does: every prime character but the last goes in; the last is the first one stepped.
        model.Reset();
        var first = new List<int>();
        int toDraw = options.Length, last;
        if (prime.Length == 0)
        {
            last = (int)(new SeededRandom(options.Seed!.Value).NextDouble() * _vocabulary.Count);
            first.Add(last);
            toDraw--;
        }
        else
        {
            for (var i = 0; i < prime.Length - 1; i++) model.Step(prime[i]);
            last = prime[^1];
        }
        var start = new float[size];
        model.SaveState(start);
        List<Candidate> alive = [new([.. first], 0, start, last, Stopped: first.Count > 0 && EndsWithStop([.. first], stops))];
        List<Candidate> stopped = [];
        if (alive[0].Stopped) (stopped, alive) = (alive, []);
        var handedOut = 0;
        var logits = new float[_vocabulary.Count];
        var logProbabilities = new double[_vocabulary.Count];

        for (var drawn = 0; drawn < toDraw && alive.Count > 0; drawn++)
        {
            // Each candidate's extensions by every character, with their states after their last character.
            var extensions = new List<(int Parent, int Token, double LogProbability)>(alive.Count * logits.Length);
            var after = new float[alive.Count][];
            for (var b = 0; b < alive.Count; b++)
            {
                var candidate = alive[b];
                model.LoadState(candidate.State);
                model.Step(candidate.Next).CopyTo(logits);
                after[b] = new float[size];
                model.SaveState(after[b]);
                LogSoftmax(logits, options.Temperature, logProbabilities);
                for (var t = 0; t < logits.Length; t++) extensions.Add((b, t, candidate.LogProbability + logProbabilities[t]));
            }
            // The best, ties to the earlier candidate and then the lower token, so the order never depends on the sort.
            extensions.Sort((x, y) => y.LogProbability.CompareTo(x.LogProbability) is var c and not 0 ? c
                : x.Parent != y.Parent ? x.Parent.CompareTo(y.Parent) : x.Token.CompareTo(y.Token));
            var next = new List<Candidate>(width);
            foreach (var (parent, token, logProbability) in extensions.Take(width))
            {
                int[] tokens = [.. alive[parent].Tokens, token];
                var candidate = new Candidate(tokens, logProbability, after[parent], token, EndsWithStop(tokens, stops));
                (candidate.Stopped ? stopped : next).Add(candidate);
            }
            alive = next;
            // A candidate that ended at a stop beats every one still going whose total is already lower: totals only fall.
            if (stopped.Count > 0 && alive.Count > 0 && stopped.Max(c => c.LogProbability) >= alive.Max(c => c.LogProbability)) alive = [];

            var settled = Agreed(alive.Concat(stopped).ToList());
            for (; handedOut < settled.Length; handedOut++) yield return _vocabulary[settled[handedOut]];
        }

        var best = alive.Concat(stopped).OrderByDescending(c => c.LogProbability).First();
        for (; handedOut < best.Tokens.Length; handedOut++) yield return _vocabulary[best.Tokens[handedOut]];
        (EndedBy, LogProbability, Characters) = (best.Stopped ? SampleEnding.Stop : SampleEnding.Length, best.LogProbability, best.Tokens.Length);
    }

    /// <summary>The tokens every candidate begins with.</summary>
    private static int[] Agreed(List<Candidate> candidates)
    {
        var shortest = candidates.Min(c => c.Tokens.Length);
        var length = 0;
        while (length < shortest && candidates.All(c => c.Tokens[length] == candidates[0].Tokens[length])) length++;
        return candidates[0].Tokens[..length];
    }

    private bool EndsWithStop(int[] tokens, IReadOnlyList<string> stops)
    {
        if (stops.Count == 0) return false;
        // Decode only as much of the end as the longest stop can cover (a character is at most two UTF-16 units).
        var tail = string.Concat(tokens.TakeLast(stops.Max(s => s.Length)).Select(t => _vocabulary[t]));
        return stops.Any(stop => tail.EndsWith(stop, StringComparison.Ordinal));
    }

    /// <summary>log softmax(logits / T), with <see cref="PortableMath"/> so the browser's figures are the server's.</summary>
    private static void LogSoftmax(ReadOnlySpan<float> logits, double temperature, double[] into)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double total = 0;
        for (var i = 0; i < logits.Length; i++) total += PortableMath.Exp((logits[i] - max) / temperature);
        var log = PortableMath.Log(total);
        for (var i = 0; i < logits.Length; i++) into[i] = (logits[i] - max) / temperature - log;
    }
}
