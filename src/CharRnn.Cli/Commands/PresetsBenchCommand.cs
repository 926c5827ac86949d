using System.CommandLine;
using System.Globalization;
using System.Text;
using CharRnn.Cli.Bench;
using CharRnn.Training;
using CharRnn.Training.Benchmarks;

namespace CharRnn.Cli.Commands;

/// <summary>
/// <c>charrnn bench presets</c>: trains the Notebook preset and the Fast-to-quality preset on one book with one seed,
/// side by side (each in its own process on one libtorch thread, so both see the same machine at the same time), and
/// compares their validation loss against wall-clock time: the figures go to docs/benchmarks.md and the curves to a
/// chart (PNG) and a CSV under docs/images. <c>--quick</c> is the check CI can afford: the first two epochs of the fast preset.
/// </summary>
internal static class PresetsBenchCommand
{
    private const double Quality = 1.30, BetterQuality = 1.25, QuickTarget = 1.75;

    private static readonly Option<FileInfo> Book = new("--book") { Description = "The book (the notebook's Anna Karenina by default).", DefaultValueFactory = _ => new FileInfo("corpus/anna.txt") };
    private static readonly Option<int> Seed = new("--seed") { Description = "The seed of both runs.", DefaultValueFactory = _ => 1 };
    private static readonly Option<bool> Quick = new("--quick") { Description = $"Only the fast preset's first 2 epochs (seed 1), against a validation loss of {QuickTarget}." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Stop every run after this many epochs (to try the command; the schedules keep their full length)." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "libtorch threads of each run (default: one each side by side; every core for --quick)." };
    // How the bench runs each preset in a process of its own: --run notebook:1 --curve FILE.
    private static readonly Option<string?> Run = new("--run") { Hidden = true };
    private static readonly Option<string?> CurveFile = new("--curve") { Hidden = true };
    private static readonly Option<string> Output = new("--output") { Description = "Markdown file to write the figures to ('-' for none).", DefaultValueFactory = _ => "docs/benchmarks.md" };
    private static readonly Option<string?> Image = new("--image") { Description = "Where the chart goes (default docs/images/presets-val-vs-time-seed-N.png); its curves go beside it as CSV." };

    public static Command Create()
    {
        var command = new Command("presets", "Train the Notebook and Fast-to-quality presets and compare validation loss against wall-clock time.")
        {
            Book, Seed, Quick, Epochs, Threads, Output, Image, Run, CurveFile,
        };
        command.SetAction(parse => CliErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var book = parse.GetValue(Book)!;
        var text = BookText.Load(book.FullName).Text;
        if (parse.GetValue(Run) is { } run) return RunOne(parse, text, run);

        var quick = parse.GetValue(Quick);
        var seed = quick ? 1 : parse.GetValue(Seed);
        var threads = parse.GetValue(Threads) ?? (quick ? Environment.ProcessorCount : 1);
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        Console.WriteLine($"Book: {book.Name}, {text.Length:N0} characters; {threads} libtorch thread(s) a run.");
        var command = "charrnn " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
        if (quick)
        {
            var options = TrainingPresets.Fast with { Seed = seed, Threads = threads, Device = "cpu", MaxSteps = 2L * TrainingPresets.Fast.StepsPerEpoch(text.Length) };
            var fast = PresetRun.Train(text, "Fast to quality", options, Console.WriteLine);
            var quickTable = QuickTable(fast);
            Console.WriteLine();
            Console.WriteLine(quickTable);
            Write(parse, "presets-quick", "## Fast to quality: the first two epochs (`charrnn bench presets --quick`)\n\n"
                + $"Command: `{command}` (`charrnn` is `dotnet run -c Release --project src/CharRnn.Cli --`)\n\n"
                + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchmarkReport.Machine()}, {threads} libtorch thread(s); book `{book.Name}` ({text.Length:N0} characters).\n\n{quickTable}"
                + "\nThe run is the fast preset's own (its cosine schedule still spans all its epochs), stopped after two; the figure is the whole split's at the end of epoch 2.\n");
            return 0;
        }

        var curves = SideBySide(parse, book, seed, threads);
        var table = FullTable(curves);
        Console.WriteLine();
        Console.WriteLine(table);
        var image = parse.GetValue(Image) ?? $"docs/images/presets-val-vs-time-seed-{seed}.png";
        ValLossChart.Write(image, curves, [Quality, BetterQuality], $"Validation loss against time, {book.Name}, seed {seed}");
        File.WriteAllText(Path.ChangeExtension(image, ".csv"), Csv(curves));
        Console.WriteLine($"Chart: {image}");
        var relativeImage = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(Output)!))!, Path.GetFullPath(image)).Replace('\\', '/');
        Write(parse, $"presets-seed-{seed}", $"## Fast to quality against the Notebook preset, seed {seed} (`charrnn bench presets`)\n\n"
            + $"Command: `{command}` (`charrnn` is `dotnet run -c Release --project src/CharRnn.Cli --`)\n\n"
            + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchmarkReport.Machine()}; book `{book.Name}` ({text.Length:N0} characters). "
            + $"The two runs trained at the same time, each in its own process on {threads} libtorch thread(s), so both saw the same machine.\n\n"
            + $"![Validation loss against wall-clock time, seed {seed}]({relativeImage})\n\n{table}"
            + "\nTimes are wall-clock from the start of each run to the evaluation that first reached the figure; only evaluations of the whole "
            + "validation split count (the fast preset's estimates between epoch ends are the faint dots on the chart). The evaluation share is "
            + "the time from an evaluated step's end to its checkpoint on disk (validation pass, 200-character sample, checkpoint write), of the run's wall time. "
            + $"The curves are in `{Path.ChangeExtension(relativeImage, ".csv")}`.\n");
        return 0;
    }

    /// <summary>Both presets at once, each in a child process of this command (<c>--run</c>), which writes its curve to a file.</summary>
    private static List<PresetCurve> SideBySide(ParseResult parse, FileInfo book, int seed, int threads)
    {
        var scratch = Directory.CreateTempSubdirectory("charrnn-bench-presets-").FullName;
        try
        {
            var children = new[] { "notebook", "fast" }.Select(preset =>
            {
                var curve = Path.Combine(scratch, $"{preset}.json");
                string[] args = ["bench", "presets", "--book", book.FullName, "--run", $"{preset}:{seed}", "--curve", curve, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                    .. parse.GetValue(Epochs) is { } e ? new[] { "--epochs", e.ToString(CultureInfo.InvariantCulture) } : []];
                return (Curve: curve, Process: ChildProcess.Start(args, line => Console.WriteLine($"[{preset}] {line}")));
            }).ToList();
            foreach (var child in children)
            {
                child.Process.WaitForExit();
                if (child.Process.ExitCode != 0) throw new InvalidOperationException($"A benchmark run failed (exit code {child.Process.ExitCode}); its output is above.");
            }
            return children.Select(c => PresetCurveFile.Read(c.Curve)).ToList();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>One preset's run (<c>--run PRESET:SEED --curve FILE</c>), as the side-by-side bench starts it.</summary>
    private static int RunOne(ParseResult parse, string text, string run)
    {
        var (name, seedText) = (run.Split(':')[0], run.Split(':')[^1]);
        var preset = TrainingPresets.Named(name);
        var options = preset with
        {
            Seed = int.Parse(seedText, CultureInfo.InvariantCulture), Threads = parse.GetValue(Threads) ?? 1, Device = "cpu",
            MaxSteps = parse.GetValue(Epochs) is { } e ? (long)e * preset.StepsPerEpoch(text.Length) : null,
        };
        var label = name == "fast" ? "Fast to quality" : "Notebook";
        Console.WriteLine($"{label}, seed {options.Seed}: {options.TotalSteps(text.Length):N0} steps on {options.Threads} thread(s).");
        PresetCurveFile.Write(parse.GetValue(CurveFile) ?? throw new ArgumentException("--run needs --curve FILE."), PresetRun.Train(text, label, options, Console.WriteLine));
        return 0;
    }

    private static string QuickTable(PresetCurve fast)
    {
        var final = fast.Final;
        return BenchmarkReport.Table(
        [
            ($"Fast to quality, seed {fast.Seed}: validation loss after epoch 2 (step {final.Step:N0})", final.ValLoss.ToString("F4"), $"≤ {QuickTarget}", final.ValLoss <= QuickTarget),
            ("Wall time", Minutes(fast.Seconds), "", null),
            ("Evaluation share of the run", $"{fast.EvaluationSeconds / fast.Seconds:P1} (validation passes alone {fast.ValidationSeconds / fast.Seconds:P1})", "", null),
        ]);
    }

    private static string FullTable(IReadOnlyList<PresetCurve> curves)
    {
        var rows = new List<(string, string, string, bool?)>();
        var notebook = curves.First(c => c.Preset == "Notebook");
        var whole = notebook.Seconds;
        foreach (var curve in curves)
        {
            var label = $"{curve.Preset}, seed {curve.Seed}";
            rows.Add(($"{label}: final validation loss (step {curve.Final.Step:N0}) / wall time", $"{curve.Final.ValLoss:F4} / {Minutes(curve.Seconds)}", "", null));
            rows.Add(($"{label}: evaluation share of the run", $"{curve.EvaluationSeconds / curve.Seconds:P1} (validation passes alone {curve.ValidationSeconds / curve.Seconds:P1})", "", null));
            if (curve == notebook) continue;
            var quality = curve.FirstAtOrBelow(Quality);
            rows.Add(($"{label}: first ≤ {Quality:F2}", Reached(quality), $"≤ {Minutes(whole / 2)} (half the Notebook's {Minutes(whole)})", quality is not null && quality.Seconds <= whole / 2));
            var better = curve.FirstAtOrBelow(BetterQuality);
            rows.Add(($"{label}: first ≤ {BetterQuality:F2}", Reached(better), $"≤ {Minutes(whole)} (the Notebook's whole run)", better is not null && better.Seconds <= whole));
        }
        return BenchmarkReport.Table(rows);
    }

    private static string Reached(CurvePoint? point) =>
        point is null ? "not reached" : $"{Minutes(point.Seconds)} (step {point.Step:N0}, {point.ValLoss:F4})";

    private static string Minutes(double seconds) => $"{seconds / 60:F1} min";

    private static string Csv(IEnumerable<PresetCurve> curves)
    {
        var csv = new StringBuilder("preset,seed,seconds,step,val_loss,whole_split\n");
        foreach (var c in curves)
            foreach (var p in c.Points)
                csv.Append(CultureInfo.InvariantCulture, $"{c.Preset},{c.Seed},{p.Seconds:F1},{p.Step},{p.ValLoss:F4},{(p.WholeSplit ? 1 : 0)}\n");
        return csv.ToString();
    }

    private static void Write(ParseResult parse, string section, string body)
    {
        var output = parse.GetValue(Output)!;
        if (output == "-") return;
        BenchmarkReport.WriteSection(output, section, body);
        Console.WriteLine($"Written to {output}");
    }
}
