using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CharRnn.Bench.Presets;
using CharRnn.Bench.Reports;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;

namespace CharRnn.Bench.FineTune;

/// <summary>
/// <c>charrnn-bench finetune</c>: what a fine-tune saves and what it forgets. The Quick CPU preset on the first
/// 1,000,000 bytes of <c>corpus/anna.txt</c> gives the source checkpoint. Then, side by side on the same machine, each
/// in its own process on one thread: (a) the Fine-tune preset from that checkpoint on a second book (Debian's
/// <c>fortunes</c> verse), also evaluated on the first; (b) Quick CPU from scratch on the second book. It reports when
/// (a) first reaches (b)'s final loss, as a share of (b)'s time (the target: 25 % or less), and the first book's loss
/// before and after (a). <c>--variants</c> tries other peak rates and lengths for the preset, each beside its own (b):
/// the search that chose it.
/// </summary>
internal static class FineTuneBenchCommand
{
    private const double TargetShare = 0.25;
    /// <summary>Both runs read their whole validation split this often, so the step at which (a) reaches (b)'s loss is seen within 10.</summary>
    private const int EvaluateEvery = 10;
    private const string SongsPoems = "/usr/share/games/fortunes/songs-poems";

    private static readonly Option<FileInfo> Book = new("--book") { Description = "The source's book (the notebook's Anna Karenina by default).", DefaultValueFactory = _ => new FileInfo("corpus/anna.txt") };
    private static readonly Option<int> FirstBytes = new("--first-bytes") { Description = "The source trains on the book's first N bytes.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<FileInfo> Second = new("--second") { Description = $"The book to fine-tune on (default {SongsPoems}: apt-get install fortunes).", DefaultValueFactory = _ => new FileInfo(SongsPoems) };
    private static readonly Option<int> Seed = new("--seed") { Description = "The seed of every run.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Variants = new("--variants") { Description = "Peak rates and epochs to try for the Fine-tune preset, as RATExEPOCHS,… (0.002x2,0.004x1); default: the preset's own." };
    private static readonly Option<FileInfo?> SourceFile = new("--source") { Description = "A source checkpoint to start from instead of training one (it must be Quick CPU's on the same text)." };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();
    private static readonly Option<string?> Image = new("--image") { Description = "Where the chart goes (default docs/images/finetune-songs-poems.png, or finetune-search.png with --variants); its curves go beside it as CSV." };
    // How the bench runs (a) and (b) each in a process of its own: --run scratch|finetune --curve FILE [--rate R --epochs N].
    private static readonly Option<string?> Run = new("--run") { Hidden = true };
    private static readonly Option<string?> CurveFile = new("--curve") { Hidden = true };
    private static readonly Option<double?> Rate = new("--rate") { Hidden = true };
    private static readonly Option<int?> Epochs = new("--epochs") { Hidden = true };

    public static Command Create()
    {
        var command = new Command("finetune", "Fine-tune Quick CPU's Anna Karenina checkpoint on verse, beside Quick CPU from scratch on the verse: time to the same loss, and what is forgotten.")
        {
            Book, FirstBytes, Second, Seed, Variants, SourceFile, Output, Image, Run, CurveFile, Rate, Epochs,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var second = parse.GetValue(Second)!;
        if (!second.Exists) throw new FileNotFoundException($"{second.FullName} is missing: the second book is Debian's fortunes package (apt-get install fortunes), or give --second FILE.");
        var first = BookText.LoadFirst(parse.GetValue(Book)!.FullName, parse.GetValue(FirstBytes)).Text;
        var verse = BookText.Load(second.FullName).Text;
        if (parse.GetValue(Run) is { } run) return RunOne(parse, run, first, verse);

        var seed = parse.GetValue(Seed);
        var firstName = parse.GetValue(Book)!.Name;
        var variants = ParseVariants(parse.GetValue(Variants));
        var search = parse.GetValue(Variants) is not null;
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        var folder = Directory.CreateTempSubdirectory("charrnn-bench-finetune-").FullName;
        try
        {
            var (sourcePath, sourceMinutes) = parse.GetValue(SourceFile) is { } given ? (given.FullName, (double?)null) : TrainSource(first, seed, folder);
            var source = CheckpointFile.Read(sourcePath);
            var quick = TrainingPresets.Quick.Options;
            var before = ValidationPass.Loss(source, OtherBookSplit.Of(0, first, source.Vocabulary, quick), quick);
            Console.WriteLine($"Source: {sourcePath}, {parse.GetValue(Book)!.Name}'s validation loss {before:F4}.");

            var rows = new List<(string, string, string, bool?)>();
            var curves = new List<PresetCurve>();
            var met = true;
            foreach (var (rate, epochs) in variants)
            {
                var label = $"Fine-tune peak {rate.ToString(CultureInfo.InvariantCulture)} × {epochs} epochs";
                var pair = SideBySide(parse, folder, sourcePath, rate, epochs);
                var (fine, scratch) = (pair[0], pair[1]);
                var target = scratch.Final.ValLoss;
                var reached = fine.FirstAtOrBelow(target);
                var share = reached is null ? (double?)null : reached.Seconds / scratch.TrainingSeconds;
                met &= share <= TargetShare;
                rows.Add(($"{label}: second book's validation loss at the end / training time", $"{fine.Final.ValLoss:F4} / {fine.TrainingSeconds:F0} s", "", null));
                rows.Add(("Quick CPU from scratch beside it: validation loss at the end / training time", $"{target:F4} / {scratch.TrainingSeconds:F0} s", "", null));
                rows.Add(($"{label}: first at or below {target:F4}", reached is null ? "never" : $"step {reached.Step:N0}, {reached.Seconds:F1} s = {share:P0} of from scratch's time",
                    $"≤ {TargetShare:P0}", share <= TargetShare));
                rows.Add(($"{label}: first book's validation loss before / after", $"{before:F4} / {fine.Final.OtherValLoss:F4} ({fine.Final.OtherValLoss - before:+0.0000;−0.0000})", "", null));
                curves.Add(fine.Curve(seed, name: $"{label}: {second.Name}"));
                curves.Add(fine.Curve(seed, other: true, name: $"{label}: {firstName}"));
                if (curves.Count == 2) curves.Add(scratch.Curve(seed, name: $"Quick CPU from scratch: {second.Name}"));
            }

            var image = parse.GetValue(Image) ?? (search ? "docs/images/finetune-search.png" : "docs/images/finetune-songs-poems.png");
            ValLossChart.Write(image, curves, [], $"Fine-tune against from scratch on {second.Name}, and {firstName} forgotten", "training time (minutes, evaluations left out)");
            PresetCurveCsv.Write(Path.ChangeExtension(image, ".csv"), curves);
            var relativeImage = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(Output)!))!, Path.GetFullPath(image)).Replace('\\', '/');
            BenchmarkReport.Write(parse.GetValue(Output)!, search ? "finetune-search" : "finetune",
                search ? "Fine-tune preset: the search (`finetune --variants`)" : "Fine-tune against training from scratch (`finetune`)",
                $". The source: Quick CPU, seed {seed}, on the first {parse.GetValue(FirstBytes):N0} bytes of `{parse.GetValue(Book)!.Name}` ({first.Length:N0} characters)"
                + (sourceMinutes is { } m ? $", {m:F1} minutes on {Environment.ProcessorCount} threads" : $", read from `{parse.GetValue(SourceFile)!.Name}`")
                + $". The second book: `{second.FullName}` ({verse.Length:N0} characters). Each fine-tune trained beside its own Quick CPU run from scratch on the "
                + "second book, each in its own process on one libtorch thread, both evaluating the whole validation split every 10 steps. Times are training "
                + "time: the evaluations (the fine-tune's also read the first book's split) are left out.\n\n"
                + $"![Validation loss against training time]({relativeImage})",
                BenchmarkReport.Table(rows),
                $"The first book's loss is its whole validation split in Quick CPU's batches (32 × 64); the curves are in `{Path.ChangeExtension(relativeImage, ".csv")}`.\n");
            return met ? 0 : 1;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>The source: Quick CPU on the first book, on every core; its best checkpoint, and the minutes it took.</summary>
    private static (string Path, double? Minutes) TrainSource(string text, int seed, string folder)
    {
        var clock = Stopwatch.StartNew();
        var options = TrainingPresets.Quick.Options with { Seed = seed, Threads = Environment.ProcessorCount };
        var result = new Trainer(text, options, Path.Combine(folder, "source")).Run();
        Console.WriteLine($"Source trained in {clock.Elapsed.TotalMinutes:F1} min: validation {result.BestValLoss:F4}.");
        return (result.BestCheckpoint!, clock.Elapsed.TotalMinutes);
    }

    /// <summary>(a) the fine-tune and (b) Quick CPU from scratch, each in a child process of this command (<c>--run</c>), at once.</summary>
    private static IReadOnlyList<FineTuneCurve> SideBySide(ParseResult parse, string folder, string source, double rate, int epochs)
    {
        string[] common = ["finetune", "--book", parse.GetValue(Book)!.FullName, "--first-bytes", Invariant(parse.GetValue(FirstBytes)),
            "--second", parse.GetValue(Second)!.FullName, "--seed", Invariant(parse.GetValue(Seed))];
        var (fine, scratch) = (Path.Combine(folder, "fine.json"), Path.Combine(folder, "scratch.json"));
        var children = new[]
        {
            ChildProcess.Start([.. common, "--run", "finetune", "--curve", fine, "--source", source, "--rate", rate.ToString("R", CultureInfo.InvariantCulture), "--epochs", Invariant(epochs)],
                line => Console.WriteLine($"[fine-tune] {line}")),
            ChildProcess.Start([.. common, "--run", "scratch", "--curve", scratch], line => Console.WriteLine($"[scratch] {line}")),
        };
        foreach (var child in children)
        {
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"A benchmark run failed (exit code {child.ExitCode}); its output is above.");
        }
        return [FineTuneCurve.Read(fine), FineTuneCurve.Read(scratch)];
    }

    /// <summary>One side of the pair (<c>--run finetune|scratch --curve FILE</c>), on one thread, evaluating the whole split every 10 steps.</summary>
    private static int RunOne(ParseResult parse, string run, string first, string verse)
    {
        var curve = parse.GetValue(CurveFile) ?? throw new ArgumentException("--run needs --curve FILE.");
        if (run == "scratch")
        {
            var options = TrainingPresets.Quick.Options with { Seed = parse.GetValue(Seed), Threads = 1, EvaluateEvery = EvaluateEvery, EvaluationBatches = null };
            FineTuneRun.Train("scratch", verse, options, null, null, Console.WriteLine).Write(curve);
            return 0;
        }
        var source = CheckpointFile.Read(parse.GetValue(SourceFile)?.FullName ?? throw new ArgumentException("--run finetune needs --source FILE."));
        var fine = TrainingPresets.FineTune.Options with
        {
            Hidden = source.Config.Hidden, Layers = source.Config.Layers, Seed = parse.GetValue(Seed), Threads = 1,
            LearningRate = parse.GetValue(Rate) ?? TrainingPresets.FineTune.Options.LearningRate, Epochs = parse.GetValue(Epochs) ?? TrainingPresets.FineTune.Options.Epochs,
            EvaluateEvery = EvaluateEvery, EvaluationBatches = null,
        };
        FineTuneRun.Train("fine-tune", verse, fine, source, first, Console.WriteLine).Write(curve);
        return 0;
    }

    /// <summary>"0.002x2,0.004x1"; the preset's own rate and epochs when none are given.</summary>
    private static IReadOnlyList<(double Rate, int Epochs)> ParseVariants(string? text)
    {
        if (text is null) return [(TrainingPresets.FineTune.Options.LearningRate, TrainingPresets.FineTune.Options.Epochs)];
        return text.Split(',').Select(v => v.Trim().Split('x') is [var r, var e]
            && double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && int.TryParse(e, out var epochs) && rate > 0 && epochs > 0
            ? (rate, epochs) : throw new ArgumentException($"--variants takes RATExEPOCHS,… such as 0.002x2; '{v}' is not one.")).ToList();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
