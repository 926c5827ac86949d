using System.Diagnostics;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

namespace CharRnn.Bench.Engine;

/// <summary>
/// Batched sampling: one passage alone (<see cref="Sampler"/>, today's path) against n passages stepped together
/// through one <see cref="DrawBatch"/> on one thread and on every core, and n passages unbatched on every core, in one run.
/// </summary>
internal static class BatchBench
{
    public sealed record Row(int Streams, int Threads, double TotalCharsPerSecond, double Ratio);

    /// <param name="UnbatchedAllCores">8 passages each on its own engine, as many at once as there are cores: the best the unbatched path does with every core.</param>
    public sealed record Result(double Alone, IReadOnlyList<Row> Rows, double UnbatchedAllCores, bool SameText);

    public static Result Run(LstmWeights weights, int charactersPerStream, int[] streamCounts, Action<string> log)
    {
        var vocabulary = weights.Vocabulary;
        SampleOptions Options(int seed, int length) => new(vocabulary[seed % vocabulary.Count], length, 1.0, TopK: 5, Seed: seed);

        // Warm up both paths long enough for the JIT's tiering to finish compiling the optimised kernels.
        _ = new Sampler(weights).Generate(Options(1, 3000)).Count();
        Together(weights, 8, 3000);
        Thread.Sleep(300);

        var clock = Stopwatch.StartNew();
        var alone = new Sampler(weights).Generate(Options(1, charactersPerStream)).Count() / clock.Elapsed.TotalSeconds;
        log($"one passage alone: {alone:N0} chars/s");

        var rows = new List<Row>();
        var cores = Environment.ProcessorCount;
        foreach (var threads in cores > 1 ? new[] { 1, cores } : [1])
            foreach (var n in streamCounts)
            {
                clock.Restart();
                var drawn = Together(weights, n, charactersPerStream, threads).Sum(t => t.Length);
                var rate = drawn / clock.Elapsed.TotalSeconds;
                rows.Add(new Row(n, threads, rate, rate / alone));
                log($"{n} passage(s) stepped together on {threads} thread(s): {rate:N0} chars/s in all ({rate / alone:F2}× one alone)");
            }

        clock.Restart();
        var unbatched = new long[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = cores },
            i => unbatched[i] = new Sampler(weights).Generate(Options(i + 1, charactersPerStream)).Count());
        var unbatchedRate = unbatched.Sum() / clock.Elapsed.TotalSeconds;
        log($"8 passages unbatched, {cores} at a time: {unbatchedRate:N0} chars/s in all ({unbatchedRate / alone:F2}× one alone)");

        // The batch changes speed, not text: a short check of every passage of the widest batch against itself alone.
        var widest = streamCounts.Max();
        var together = Together(weights, widest, 300);
        var same = together.Select((text, i) => text == string.Concat(new Sampler(weights).Generate(Options(i + 1, 300)))).All(x => x);
        log($"each of {widest} passages drawn together is its text alone: {same}");
        return new Result(alone, rows, unbatchedRate, same);

        string[] Together(LstmWeights w, int n, int length, int threads = 1)
        {
            var batch = new DrawBatch(w, n, threads);
            var draws = Enumerable.Range(1, n).Select(seed => new SampleDraw(vocabulary, Options(seed, length))).ToArray();
            var texts = draws.Select(_ => new System.Text.StringBuilder()).ToArray();
            foreach (var d in draws) batch.TryAdd(d);
            while (batch.Count > 0) batch.Step((d, t) => texts[Array.IndexOf(draws, d)].Append(t));
            return texts.Select(t => t.ToString()).ToArray();
        }
    }
}
