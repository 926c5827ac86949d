using System.CommandLine;
using System.Globalization;
using CharRnn.Bench.Reports;
using CharRnn.Training.Batches;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;

namespace CharRnn.Bench.Presets;

/// <summary>
/// <c>charrnn-bench presets</c>: trains the Notebook preset and the Fast-to-quality preset on one book with one seed,
/// side by side (each in its own process on one libtorch thread, so both see the same machine at the same time), and
/// compares their validation loss against wall-clock time: the figures go to docs/benchmarks.md and the curves to a
/// chart (PNG) and a CSV under docs/images. <c>--quick</c> is the check CI can afford: the first two epochs of the fast preset.
/// <c>--quick-cpu</c> checks the Quick CPU preset's promise: a first run on a 1 MB book that reads like the book in minutes.
/// </summary>
internal static class PresetsBenchCommand
{
    private const double Quality = 1.30, BetterQuality = 1.25, QuickTarget = 1.75, QuickCpuTarget = 1.60;

    /// <summary>
    /// The bar for the Fast preset on a 2-core machine (issue 29): the notebook's quality within 10 minutes where the
    /// processor computes in bfloat16 natively (and the preset's auto chooses it), within 15 in float32 elsewhere.
    /// </summary>
    private static TimeSpan QualityTime => TimeSpan.FromMinutes(TrainingPrecisions.NativeHere(TrainingDevice.Cpu) ? 10 : 15);
    private const int QuickCpuBytes = 1_000_000;
    private static readonly TimeSpan QuickCpuTime = TimeSpan.FromMinutes(5);

    private static readonly Option<FileInfo> Book = new("--book") { Description = "The book (the notebook's Anna Karenina by default).", DefaultValueFactory = _ => new FileInfo("corpus/anna.txt") };
    private static readonly Option<int> Seed = new("--seed") { Description = "The seed of both runs.", DefaultValueFactory = _ => 1 };
    private static readonly Option<bool> Quick = new("--quick") { Description = $"Only the fast preset's first 2 epochs (seed 1), against a validation loss of {QuickTarget}." };
    private static readonly Option<bool> QuickCpu = new("--quick-cpu") { Description = $"Only the Quick CPU preset, on the book's first {QuickCpuBytes:N0} bytes with every core, against a validation loss of {QuickCpuTarget} within {QuickCpuTime.TotalMinutes} minutes." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Stop every run after this many epochs (to try the command; the schedules keep their full length)." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "libtorch threads of each run (default: one each side by side; every core for --quick)." };
    private static readonly Option<string?> Runs = new("--runs") { Description = "The runs to train side by side, as PRESET:SEED separated by commas (default notebook:SEED,fast:SEED); e.g. fast:1,fast:2 with --notebook-curve." };
    private static readonly Option<FileInfo?> OldFastCurve = new("--old-fast-curve") { Description = "Draw beside the runs the seed-1 curve of the Fast preset before it became the short recipe (now Best in an hour), from this CSV of an earlier bench." };
    private static readonly Option<FileInfo?> NotebookCurve = new("--notebook-curve") { Description = "When --runs has no Notebook run: compare against the Notebook curve in this CSV, written by an earlier side-by-side bench on the same machine." };
    private static readonly Option<DirectoryInfo?> Curves = new("--curves") { Description = "Keep each run's curve in this folder (PRESET-SEED.json); a run whose curve is already there is read, not trained again." };
    private static readonly Option<DirectoryInfo?> Checkpoints = new("--checkpoints") { Description = "Keep each run's checkpoints in this folder (PRESET-SEED/step-N.safetensors) instead of deleting them." };
    // How the bench runs each preset in a process of its own: --run notebook:1 --curve FILE.
    private static readonly Option<string?> Run = new("--run") { Hidden = true };
    private static readonly Option<string?> CurveFile = new("--curve") { Hidden = true };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();
    private static readonly Option<string?> Image = new("--image") { Description = "Where the chart goes (default docs/images/presets-val-vs-time-seed-N.png); its curves go beside it as CSV." };

    public static Command Create()
    {
        var command = new Command("presets", "Train the Notebook and Fast-to-quality presets and compare validation loss against wall-clock time.")
        {
            Book, Seed, Quick, QuickCpu, Epochs, Threads, Runs, NotebookCurve, OldFastCurve, Curves, Checkpoints, Output, Image, Run, CurveFile,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var book = parse.GetValue(Book)!;
        if (parse.GetValue(QuickCpu)) return QuickCpuRun(parse, book);
        var text = BookText.Load(book.FullName).Text;
        if (parse.GetValue(Run) is { } run) return RunOne(parse, text, run);

        var quick = parse.GetValue(Quick);
        var seed = quick ? 1 : parse.GetValue(Seed);
        var threads = parse.GetValue(Threads) ?? (quick ? Environment.ProcessorCount : 1);
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        Console.WriteLine($"Book: {book.Name}, {text.Length:N0} characters; {threads} libtorch thread(s) a run.");
        if (quick)
        {
            var fastPreset = TrainingPresets.Fast;
            var options = fastPreset.Options with { Seed = seed, Threads = threads, Device = DeviceChoice.Cpu, MaxSteps = 2L * fastPreset.Options.StepsPerEpoch(text.Length) };
            var fast = PresetRun.Train(text, fastPreset.Name, options, Console.WriteLine);
            BenchmarkReport.Write(parse.GetValue(Output)!, "presets-quick", "Fast to quality: the first two epochs (`presets --quick`)",
                $", {threads} libtorch thread(s); book `{book.Name}` ({text.Length:N0} characters).", QuickTable(fast),
                "The run is the fast preset's own (its cosine schedule still spans all its epochs), stopped after two; the figure is the whole split's at the end of epoch 2.\n");
            return 0;
        }

        var runs = (parse.GetValue(Runs) ?? $"notebook:{seed},fast:{seed}").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Everything that can be refused is, before hours of training.
        var trainsNotebook = runs.Select(ParseRun).Any(r => r.Preset == TrainingPresets.Notebook);
        var reference = trainsNotebook ? null
            : parse.GetValue(NotebookCurve) is { } file ? PresetCurveCsv.Read(Path.GetRelativePath(Environment.CurrentDirectory, file.FullName), TrainingPresets.Notebook.Name)
            : throw new ArgumentException("With no Notebook run in --runs, give the Notebook curve to compare against with --notebook-curve FILE.csv.");
        var kept = parse.GetValue(Curves) is { } folder ? runs.Where(r => File.Exists(Path.Combine(folder.FullName, CurveFileName(r)))).ToList() : [];
        var curves = SideBySide(parse, book, runs, kept, threads);
        var notebook = reference ?? curves.First(c => c.Preset == TrainingPresets.Notebook.Name);
        var oldFast = parse.GetValue(OldFastCurve) is { } old
            ? PresetCurveCsv.Read(Path.GetRelativePath(Environment.CurrentDirectory, old.FullName), TrainingPresets.Fast.Name, seed: 1, label: $"{TrainingPresets.Hour.Name} (the Fast preset before)")
            : null;
        List<PresetCurve> drawn = [.. new[] { reference, oldFast }.OfType<PresetCurve>(), .. curves];
        // The first bench compared one seed of both presets; its section and chart keep the name they were published under.
        var name = parse.GetValue(Runs) is null ? $"seed-{seed}" : string.Join("-", runs).Replace(':', '-');
        var distinctSeeds = drawn.Select(c => c.Seed).Distinct().ToList();
        var seeds = (distinctSeeds.Count > 1 ? "seeds " : "seed ") + string.Join(" and ", distinctSeeds);
        var image = parse.GetValue(Image) ?? $"docs/images/presets-val-vs-time-{name}.png";
        ValLossChart.Write(image, drawn, [Quality, BetterQuality], $"Validation loss against time, {book.Name}, {seeds}");
        PresetCurveCsv.Write(Path.ChangeExtension(image, ".csv"), drawn);
        Console.WriteLine($"Chart: {image}");
        var relativeImage = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(Output)!))!, Path.GetFullPath(image)).Replace('\\', '/');
        var heading = parse.GetValue(Runs) is null ? $"Fast to quality against the Notebook preset, seed {seed}" : $"Presets side by side: {string.Join(", ", runs)}";
        var fromFile = notebook.From is null ? "" : $" The Notebook curve is not trained here: it is the one in `{notebook.From}`, from an earlier side-by-side bench (two runs at once, one thread each), and its time is that of its last evaluation.";
        if (oldFast is not null) fromFile += $" The {oldFast.Preset} curve is seed 1's in `{oldFast.From}`, from an earlier bench on another machine; it is drawn for its shape, and its minutes do not compare.";
        var readBack = kept.Count == 0 ? "" : $" The curves of {string.Join(", ", kept)} were read from the `--curves` folder, written there by earlier runs of this bench (`--runs RUN --curves FOLDER`), each as its run trained then.";
        var trained = curves.Count - kept.Count;
        var together = trained == 0 ? "" : $"The {trained} run(s) trained here ran at the same time, each in its own process on {threads} libtorch thread(s), so all saw the same machine.";
        BenchmarkReport.Write(parse.GetValue(Output)!, $"presets-{name}", $"{heading} (`presets`)",
            $"; book `{book.Name}` ({text.Length:N0} characters). "
            + $"{together}{fromFile}{readBack}".Trim() + "\n\n"
            + $"![Validation loss against wall-clock time, {seeds}]({relativeImage})",
            FullTable(notebook, curves),
            "Times are wall-clock from the start of each run to the evaluation that first reached the figure; only evaluations of the whole "
            + "validation split count (the fast preset's estimates between epoch ends are the faint dots on the chart). The evaluation share is "
            + "the time from an evaluated step's end to its checkpoint on disk (validation pass, 200-character sample, checkpoint write), of the run's wall time. "
            + $"The curves are in `{Path.ChangeExtension(relativeImage, ".csv")}`.\n");
        return 0;
    }

    /// <summary>
    /// The runs at once, each in a child process of this command (<c>--run</c>), which writes its curve to a file: in a
    /// scratch folder, or in <c>--curves</c>, where the <paramref name="kept"/> runs' curves are already written and are read instead.
    /// </summary>
    private static List<PresetCurve> SideBySide(ParseResult parse, FileInfo book, IReadOnlyList<string> runs, IReadOnlyCollection<string> kept, int threads)
    {
        var keptFolder = parse.GetValue(Curves);
        var folder = keptFolder?.FullName ?? Directory.CreateTempSubdirectory("charrnn-bench-presets-").FullName;
        Directory.CreateDirectory(folder);
        try
        {
            string CurveOf(string run) => Path.Combine(folder, CurveFileName(run));
            foreach (var run in kept) Console.WriteLine($"[{run}] read from {CurveOf(run)}, not trained again.");
            SideBySideRuns.Train(runs.Except(kept).Select(run => new SideBySideRun(run, CurveOf(run),
                ["presets", "--book", book.FullName, "--run", run, "--curve", CurveOf(run), "--threads", threads.ToString(CultureInfo.InvariantCulture),
                    .. parse.GetValue(Epochs) is { } e ? new[] { "--epochs", e.ToString(CultureInfo.InvariantCulture) } : [],
                    .. parse.GetValue(Checkpoints) is { } c ? new[] { "--checkpoints", Path.Combine(c.FullName, run.Replace(':', '-')) } : []])).ToList());
            return runs.Select(run => PresetCurveFile.Read(CurveOf(run))).ToList();
        }
        finally
        {
            if (keptFolder is null) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One preset's run (<c>--run PRESET:SEED --curve FILE</c>), as the side-by-side bench starts it.</summary>
    private static int RunOne(ParseResult parse, string text, string run)
    {
        var (label, seed, preset) = ParseRun(run);
        var options = preset.Options with
        {
            Seed = seed, Threads = parse.GetValue(Threads) ?? 1, Device = DeviceChoice.Cpu,
            MaxSteps = parse.GetValue(Epochs) is { } e ? (long)e * preset.Options.StepsPerEpoch(text.Length) : null,
        };
        Console.WriteLine($"{label}, seed {options.Seed}: {options.TotalSteps(text.Length):N0} steps on {options.Threads} thread(s).");
        PresetCurveFile.Write(parse.GetValue(CurveFile) ?? throw new ArgumentException("--run needs --curve FILE."), PresetRun.Train(text, label, options, Console.WriteLine, parse.GetValue(Checkpoints)?.FullName));
        return 0;
    }

    /// <summary><c>--quick-cpu</c>: the Quick CPU preset as a new user would first run it, on every core, on a 1 MB book.</summary>
    private static int QuickCpuRun(ParseResult parse, FileInfo book)
    {
        var text = BookText.LoadFirst(book.FullName, QuickCpuBytes).Text;
        var (seed, threads) = (parse.GetValue(Seed), parse.GetValue(Threads) ?? Environment.ProcessorCount);
        var preset = TrainingPresets.Quick;
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        Console.WriteLine($"Book: the first {QuickCpuBytes:N0} bytes of {book.Name}, {text.Length:N0} characters; {threads} libtorch thread(s).");
        var curve = PresetRun.Train(text, preset.Name, preset.Options with { Seed = seed, Threads = threads }, Console.WriteLine);
        var final = curve.Final;
        var inTime = curve.Seconds <= QuickCpuTime.TotalSeconds;
        BenchmarkReport.Write(parse.GetValue(Output)!, $"presets-quick-cpu-seed-{seed}", $"Quick CPU on a 1 MB book, seed {seed} (`presets --quick-cpu`)",
            $", {threads} libtorch thread(s); the first {QuickCpuBytes:N0} bytes of `{book.Name}` ({text.Length:N0} characters).",
            BenchmarkReport.Table(
            [
                ($"Quick CPU, seed {seed}: validation loss at the end (step {final.Step:N0})", final.ValLoss.ToString("F4"), $"≤ {QuickCpuTarget:F2}", final.ValLoss <= QuickCpuTarget),
                ("Wall time of the whole run", Minutes(curve.Seconds), $"≤ {QuickCpuTime.TotalMinutes:F0} min", inTime),
                ("Training speed", $"{curve.TrainingSpeed:N0} characters/s", "", null),
            ]),
            $"The sample drawn at the last evaluation (200 characters, top-5, the seed's), as the run page shows it:\n\n```text\n{curve.Sample}\n```\n");
        return 0;
    }

    private static string CurveFileName(string run) => run.Replace(':', '-') + ".json";

    /// <summary>PRESET:SEED as --runs and --run spell a run: the preset's label in tables and charts, the seed, the preset.</summary>
    private static (string Label, int Seed, TrainingPreset Preset) ParseRun(string run)
    {
        var parts = run.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            throw new ArgumentException($"'{run}' is not a run: write PRESET:SEED, e.g. fast:2.");
        var preset = TrainingPresets.Named(parts[0]);
        return (preset.Name, seed, preset);
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

    /// <summary>Each run's figures; the fast ones against the Notebook run's time to its own final figure.</summary>
    private static string FullTable(PresetCurve notebook, IReadOnlyList<PresetCurve> curves)
    {
        var rows = new List<(string, string, string, bool?)>();
        var whole = notebook.Final.Seconds;
        if (notebook.From is not null)
            rows.Add(($"Notebook, seed {notebook.Seed} (from {Path.GetFileName(notebook.From)}): final validation loss (step {notebook.Final.Step:N0}) / time to it", $"{notebook.Final.ValLoss:F4} / {Minutes(whole)}", "", null));
        foreach (var curve in curves)
        {
            var label = $"{curve.Preset}, seed {curve.Seed}";
            rows.Add(($"{label}: final validation loss (step {curve.Final.Step:N0}) / wall time", $"{curve.Final.ValLoss:F4} / {Minutes(curve.Seconds)}", "", null));
            rows.Add(($"{label}: evaluation share of the run", $"{curve.EvaluationSeconds / curve.Seconds:P1} (validation passes alone {curve.ValidationSeconds / curve.Seconds:P1})", "", null));
            if (curve.Preset == TrainingPresets.Notebook.Name) continue;
            var best = curve.Points.Where(p => p.WholeSplit).MinBy(p => p.ValLoss)!;
            if (best != curve.Final) rows.Add(($"{label}: best validation loss", $"{best.ValLoss:F4} (step {best.Step:N0}, {Minutes(best.Seconds)})", "", null));
            var quality = curve.FirstAtOrBelow(Quality);
            rows.Add(($"{label}: first ≤ {Quality:F2}", Reached(quality), $"≤ {Minutes(QualityTime.TotalSeconds)} ({(notebook.FirstAtOrBelow(Quality) is { } reached ? $"the Notebook: {Minutes(reached.Seconds)}" : $"the Notebook did not reach it in {Minutes(whole)}")})",
                quality is not null && quality.Seconds <= QualityTime.TotalSeconds));
            rows.Add(($"{label}: first ≤ {BetterQuality:F2}", Reached(curve.FirstAtOrBelow(BetterQuality)), $"(the Notebook's whole run: {Minutes(whole)})", null));
        }
        return BenchmarkReport.Table(rows);
    }

    private static string Reached(CurvePoint? point) =>
        point is null ? "not reached" : $"{Minutes(point.Seconds)} (step {point.Step:N0}, {point.ValLoss:F4})";

    private static string Minutes(double seconds) => $"{seconds / 60:F1} min";

}
