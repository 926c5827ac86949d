using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CharRnn.Bench.Reports;
using CharRnn.Contracts;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Inside;
using CharRnn.Inference.Lstm;
using CharRnn.Training.Batches;

namespace CharRnn.Bench.Inside;

/// <summary>
/// <c>charrnn-bench inside</c>: Discover on a real checkpoint, as the server answers it. Every built-in feature is
/// correlated with every unit over the start of the book's held-out split in one pass; it prints how long that took and,
/// for each feature and layer, the best unit and its r, and writes them to docs/benchmarks.md.
/// </summary>
internal static class InsideBenchCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "A checkpoint (.safetensors) trained on the book.", Required = true };
    private static readonly Option<string> Book = new("--book") { Description = "The book it was trained on.", DefaultValueFactory = _ => "corpus/anna.txt" };
    private static readonly Option<int> Characters = new("--chars") { Description = "Characters of the held-out split to read (the server's InsideHeldOutCharacters).", DefaultValueFactory = _ => 20_000 };
    private static readonly Option<int> Threads = new("--threads") { Description = "Threads sharing each step's products (the server uses 1).", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> Label = new("--label") { Description = "Names the section: inside-LABEL.", DefaultValueFactory = _ => "discover" };
    private static readonly Option<string?> Title = new("--title") { Description = "What the section's heading calls the checkpoint (default: its file's name)." };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    /// <summary>The server's pieces side by side (<c>InsideService</c>).</summary>
    private const int Pieces = 16;

    public static Command Create()
    {
        var command = new Command("inside", "Time Discover over a checkpoint's held-out text and list the best unit for each feature and layer.")
        {
            Checkpoint, Book, Characters, Threads, Label, Title, Output,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var path = parse.GetValue(Checkpoint)!;
        var checkpoint = CheckpointFile.Read(path);
        var weights = new LstmWeights(checkpoint);
        var options = checkpoint.Training?.Options is { } stored ? stored.Deserialize<TrainingOptions>(ContractsJson.Options)! : new TrainingOptions();
        var runes = BookText.Load(RepositoryPath.Resolve(parse.GetValue(Book)!)).Text.EnumerateRunes().ToArray();
        var heldOut = new StringBuilder();
        foreach (var rune in runes.AsSpan(options.TrainingCharacters(runes.Length)).ToArray().Take(parse.GetValue(Characters))) heldOut.Append(rune.ToString());
        var text = heldOut.ToString();
        var characters = TextFeatures.Characters(text);
        var threads = parse.GetValue(Threads);
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        Console.WriteLine($"{Path.GetFileName(path)}: {checkpoint.Config.Layers}×{checkpoint.Config.Hidden}, step {checkpoint.Training?.Step}, validation loss {checkpoint.Training?.ValLoss:F4}; {characters.Length:N0} held-out characters.");

        var clock = Stopwatch.StartNew();
        var features = TextFeatures.All.Select(f => TextFeatures.Values(f, characters)).ToList();
        var ranked = UnitCorrelations.Measure(weights, weights.Vocabulary.Encode(text), features, top: 1000, Pieces, threads);
        clock.Stop();
        Console.WriteLine($"Discover, every feature at once: {clock.Elapsed.TotalSeconds:F2} s");

        var table = new StringBuilder("| feature | layer | best unit | r |\n| --- | --- | --- | --- |\n");
        foreach (var (feature, units) in TextFeatures.All.Zip(ranked))
        {
            // A feature that never changes over the text (no brackets in it, say) has no r with anything.
            if (units.Count == 0) table.Append($"| {ContractsJson.Name(feature)} | – | none: the feature never changes in these characters | – |\n");
            for (var layer = 0; layer < checkpoint.Config.Layers; layer++)
                if (units.FirstOrDefault(u => u.Layer == layer) is { } best)
                    table.Append($"| {ContractsJson.Name(feature)} | {layer} | {ContractsJson.Name(best.Quantity)} {best.Unit} | {best.R:F3} |\n");
        }
        var rows = new List<(string, string, string, bool?)>
        {
            ($"Discover over {characters.Length:N0} held-out characters, 5 features, {threads} thread(s)", $"{clock.Elapsed.TotalSeconds:F2} s", "≤ 5 s", clock.Elapsed.TotalSeconds <= 5),
        };
        BenchmarkReport.Write(parse.GetValue(Output)!, $"inside-{parse.GetValue(Label)}", $"Inside the model: Discover on {parse.GetValue(Title) ?? Path.GetFileName(path)} (`inside`)",
            $"; checkpoint {checkpoint.Config.Layers}×{checkpoint.Config.Hidden} at step {checkpoint.Training?.Step} (validation loss {checkpoint.Training?.ValLoss:F4}), "
            + $"the first {characters.Length:N0} characters of the book's held-out split, read in {Pieces} pieces side by side.",
            BenchmarkReport.Table(rows) + "\n" + table,
            "r is Pearson's correlation over every character between the unit's value (c itself for the cell state) and the "
            + "feature's: |r| near 1 means the unit tracks the feature; a sign only says which way. Each row is the layer's best unit.\n");
        return 0;
    }
}
