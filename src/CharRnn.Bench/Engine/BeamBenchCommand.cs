using System.CommandLine;
using System.Diagnostics;
using CharRnn.Bench.Reports;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

namespace CharRnn.Bench.Engine;

/// <summary>
/// <c>charrnn-bench beam</c>: a beam search's time on the server's engine beside one drawn stream's, in one run, on the
/// bench's model (PyTorch's initial weights, 2×512 over 83 symbols by default). A beam of width w steps the model w
/// times a character, one candidate after another, so its time is about w streams' (the bar: width 8 over 500
/// characters within 1 s on 2 cores). Then a full sample grid as the server draws it: 4 checkpoints × 4 temperatures,
/// each checkpoint's 4 cells stepped in one batch on a thread of its own (<see cref="DrawBatch"/>, as
/// <c>SamplingBatcher</c> runs them), timed to the last character.
/// </summary>
internal static class BeamBenchCommand
{
    private static readonly Option<int> Hidden = new("--hidden") { DefaultValueFactory = _ => 512 };
    private static readonly Option<int> Layers = new("--layers") { DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Characters = new("--characters") { Description = "Characters each search or stream finds or draws.", DefaultValueFactory = _ => 500 };
    private static readonly Option<int> GridCharacters = new("--grid-characters") { Description = "Characters each of the grid's 16 cells draws.", DefaultValueFactory = _ => 300 };
    private static readonly Option<int> Rounds = new("--rounds") { Description = "Each figure is the best of this many rounds.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    private const double TargetSeconds = 1.0;

    public static Command Create()
    {
        var command = new Command("beam", "Time beam searches of width 1–8 beside one drawn stream, on the server's engine.") { Hidden, Layers, Characters, GridCharacters, Rounds, Output };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var (hidden, layers, characters, rounds) = (parse.GetValue(Hidden), parse.GetValue(Layers), parse.GetValue(Characters), parse.GetValue(Rounds));
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        var (model, checkpoint) = RandomModel.Create(hidden, layers, vocabSize: 83);
        model.Dispose();
        var weights = new LstmWeights(checkpoint);
        var prime = checkpoint.Vocabulary[0] + checkpoint.Vocabulary[1];

        double Best(SampleOptions options)
        {
            var best = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var drawn = new Sampler(weights).Generate(options).Count();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                if (drawn != characters) throw new InvalidOperationException($"{drawn} characters instead of {characters}.");
            }
            Console.WriteLine($"{(options.Beam is { } w ? $"beam {w}" : "one stream")}: {best:F3} s");
            return best;
        }

        var stream = Best(new SampleOptions(prime, characters, 1.0, TopK: 5, Seed: 1));
        var rows = new List<(string, string, string, bool?)>
        {
            ($"One drawn stream (top-k 5), {characters} characters", $"{stream:F3} s ({characters / stream:N0} chars/s)", "", null),
        };
        foreach (var width in new[] { 1, 2, 4, 8 })
        {
            var seconds = Best(new SampleOptions(prime, characters, 1.0, Seed: 1, Beam: width));
            rows.Add(($"Beam of width {width}, {characters} characters", $"{seconds:F3} s ({seconds / stream:F1}× the stream)",
                width == 8 ? $"≤ {TargetSeconds:F0} s" : "", width == 8 ? seconds <= TargetSeconds : null));
        }
        var gridCharacters = parse.GetValue(GridCharacters);
        var grid = GridSeconds(hidden, layers, gridCharacters, rounds);
        Console.WriteLine($"grid of 16 cells: {grid:F3} s");
        rows.Add(($"Sample grid, 4 checkpoints × 4 temperatures, {gridCharacters} characters a cell: time to the last character",
            $"{grid:F3} s ({16 * gridCharacters / grid:N0} chars/s in all, {16 * gridCharacters / grid / (characters / stream):F1}× one stream)", "", null));
        BenchmarkReport.Write(parse.GetValue(Output)!, "beam", "Beam search on the server's engine (`beam`)",
            $"; model {layers}×{hidden} (PyTorch's initial weights), alphabet 83, prime of 2 characters; the best of {rounds} rounds each, one after another in one process.",
            BenchmarkReport.Table(rows),
            "The engine runs on one thread, as the server's sampling does; a beam search steps it once per candidate per character, with each "
            + "candidate's state saved and loaded around its step, so width w costs about w streams plus the ranking of w × 83 extensions a character. "
            + "The grid's four checkpoints are four models with different weights (seeds 5–8); their batches share the machine's cores.\n");
        return 0;
    }

    /// <summary>The best time of <paramref name="rounds"/> for 16 cells: each of 4 models draws its 4 temperatures in one batch, the models side by side.</summary>
    private static double GridSeconds(int hidden, int layers, int characters, int rounds)
    {
        var models = Enumerable.Range(0, 4).Select(i =>
        {
            var (model, checkpoint) = RandomModel.Create(hidden, layers, vocabSize: 83, seed: 5 + i);
            model.Dispose();
            return new LstmWeights(checkpoint);
        }).ToList();
        double[] temperatures = [0.5, 0.8, 1.0, 1.2];
        var best = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            Parallel.ForEach(models, new ParallelOptions { MaxDegreeOfParallelism = models.Count }, weights =>
            {
                var batch = new DrawBatch(weights, capacity: temperatures.Length);
                var prime = weights.Vocabulary[0] + weights.Vocabulary[1];
                foreach (var t in temperatures) batch.TryAdd(new SampleDraw(weights.Vocabulary, new SampleOptions(prime, characters, t, Seed: 1)));
                while (batch.Count > 0) batch.Step((_, _) => { });
            });
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
