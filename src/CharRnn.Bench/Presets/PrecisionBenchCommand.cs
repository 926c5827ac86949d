using System.CommandLine;
using System.Globalization;
using CharRnn.Bench.Reports;
using CharRnn.Training.Batches;
using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Bench.Presets;

/// <summary>
/// <c>charrnn-bench precision</c>: trains one preset in float32 and in bfloat16 side by side (each in its own process
/// with the same threads, so both see the same machine at the same time) and compares their validation loss, their
/// training speed and their curves against time. The acceptance it checks: within 0.02 of each other after the epochs,
/// and bfloat16 at least 1.6× as fast where the processor computes in it natively. Elsewhere bfloat16 is emulated,
/// and the figure says how much slower that is.
/// <para>
/// With <c>--seeds 1-5 --steps 150</c> it judges stability instead: each seed's first steps in both precisions, side
/// by side, and whether bfloat16 learns whenever float32 does (no seed's bfloat16 loss more than 0.15 above
/// float32's). A high peak rate early in a run is where bfloat16 once stayed at the letter-frequency loss.
/// </para>
/// </summary>
internal static class PrecisionBenchCommand
{
    private const double SameQuality = 0.02, NativeSpeedup = 1.6, LearnsAsWell = 0.15;

    private static readonly Option<string> Preset = new("--preset") { Description = "The preset both runs train (notebook, fast, hour, quick).", DefaultValueFactory = _ => "notebook" };
    private static readonly Option<FileInfo> Book = new("--book") { Description = "The book (the notebook's Anna Karenina by default).", DefaultValueFactory = _ => new FileInfo("corpus/anna.txt") };
    private static readonly Option<int?> FirstBytes = new("--first-bytes") { Description = "Train on the book's first N bytes only (as head -c N would cut it)." };
    private static readonly Option<int> Seed = new("--seed") { Description = "The seed of both runs.", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Stop both runs after this many epochs (their schedules keep the preset's length).", DefaultValueFactory = _ => 2 };
    private static readonly Option<int?> Steps = new("--steps") { Description = "Stop both runs after this many steps instead of --epochs (their schedules keep the preset's length)." };
    private static readonly Option<string?> Seeds = new("--seeds") { Description = "Judge stability over these seeds (A-B, or A,B,C): each seed's runs side by side, one seed after another." };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads of each run.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();
    private static readonly Option<string?> Image = new("--image") { Description = "Where the chart goes (default docs/images/precision-PRESET-seed-N.png); its curves go beside it as CSV." };
    // How the bench runs each precision in a process of its own: --run bfloat16 --curve FILE.
    private static readonly Option<string?> Run = new("--run") { Hidden = true };
    private static readonly Option<string?> CurveFile = new("--curve") { Hidden = true };

    public static Command Create()
    {
        var command = new Command("precision", "Train a preset in float32 and in bfloat16 side by side and compare validation loss and speed.")
        {
            Preset, Book, FirstBytes, Seed, Epochs, Steps, Seeds, Threads, Output, Image, Run, CurveFile,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        var preset = TrainingPresets.Named(parse.GetValue(Preset)!);
        var seeds = parse.GetValue(Seeds) is { } list ? ParseSeeds(list) : null; // refused, if it must be, before the book is read
        var book = parse.GetValue(Book)!;
        var text = (parse.GetValue(FirstBytes) is { } first ? BookText.LoadFirst(book.FullName, first) : BookText.Load(book.FullName)).Text;
        if (parse.GetValue(Run) is { } run) return RunOne(parse, preset, text, Enum.Parse<PrecisionChoice>(run, ignoreCase: true));

        var (seed, epochs, threads) = (parse.GetValue(Seed), parse.GetValue(Epochs), parse.GetValue(Threads));
        var bookName = book.Name + (parse.GetValue(FirstBytes) is { } cut ? $", first {cut:N0} bytes" : "");
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        if (seeds is not null) return Stability(parse, preset, book, bookName, seeds);
        Console.WriteLine($"Book: {bookName}, {text.Length:N0} characters; {preset.Name}, seed {seed}, {epochs} epoch(s), {threads} libtorch thread(s) a run.");
        var curves = SideBySide(parse, book, [PrecisionChoice.Float32, PrecisionChoice.Bfloat16]);

        var image = parse.GetValue(Image) ?? $"docs/images/precision-{preset.Key}-seed-{seed}.png";
        ValLossChart.Write(image, curves, [], $"{preset.Name}: float32 against bfloat16, {bookName}, seed {seed}");
        PresetCurveCsv.Write(Path.ChangeExtension(image, ".csv"), curves);
        Console.WriteLine($"Chart: {image}");
        var relativeImage = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(Output)!))!, Path.GetFullPath(image)).Replace('\\', '/');
        var native = TrainingPrecisions.NativeHere(TrainingDevice.Cpu);
        BenchmarkReport.Write(parse.GetValue(Output)!, $"precision-{preset.Key}-seed-{seed}", $"{preset.Name} in float32 and in bfloat16, seed {seed} (`precision`)",
            $"; book `{bookName}` ({text.Length:N0} characters). The two runs trained at the same time, each in its own process on {threads} libtorch thread(s), "
            + $"for {epochs} epoch(s) of the preset's schedule.\n\n![Validation loss against wall-clock time, float32 and bfloat16]({relativeImage})",
            Table(curves[0], curves[1], native),
            "Training speed is characters trained a second with the evaluations' time left out. "
            + (native ? "This CPU computes in bfloat16 natively." : "This CPU has no AVX512_BF16 or AMX: libtorch emulates bfloat16 with float32 instructions and conversions, so the speed figure is not the one the target is about.")
            + $" The curves are in `{Path.ChangeExtension(relativeImage, ".csv")}`.\n");
        return 0;
    }

    /// <summary>Each seed's float32 and bfloat16 runs side by side, one seed after another, and the verdict on every seed.</summary>
    private static int Stability(ParseResult parse, TrainingPreset preset, FileInfo book, string bookName, IReadOnlyList<int> seeds)
    {
        var steps = parse.GetValue(Steps);
        var length = steps is { } n ? $"{n:N0} steps" : $"{parse.GetValue(Epochs)} epoch(s)";
        Console.WriteLine($"Book: {bookName}; {preset.Name}, {length}, seeds {string.Join(", ", seeds)}, {parse.GetValue(Threads)} libtorch thread(s) a run.");
        var rows = new List<(string, string, string, bool?)>();
        foreach (var seed in seeds)
        {
            var curves = SideBySide(parse, book, [PrecisionChoice.Float32, PrecisionChoice.Bfloat16], seed);
            var (float32, bfloat16) = (curves[0].Final.ValLoss, curves[1].Final.ValLoss);
            Console.WriteLine($"seed {seed}: float32 {float32:F4}, bfloat16 {bfloat16:F4}");
            rows.Add(($"Seed {seed}: validation loss, float32 / bfloat16 (step {curves[1].Final.Step:N0})", $"{float32:F4} / {bfloat16:F4} (bfloat16 {(bfloat16 < float32 ? "−" : "+")}{Math.Abs(bfloat16 - float32):F4})",
                $"bfloat16 ≤ float32 + {LearnsAsWell:F2}", bfloat16 <= float32 + LearnsAsWell));
        }
        var native = TrainingPrecisions.NativeHere(TrainingDevice.Cpu);
        BenchmarkReport.Write(parse.GetValue(Output)!, $"precision-stability-{preset.Key}", $"{preset.Name}: bfloat16 learns whenever float32 does (`precision --seeds`)",
            $"; book `{bookName}`. For each seed, the preset's first {length} in float32 and in bfloat16, side by side, each in its own process on "
            + $"{parse.GetValue(Threads)} libtorch thread(s); the loss is the whole validation split's at the last step.",
            BenchmarkReport.Table(rows),
            native ? "This CPU computes in bfloat16 natively.\n" : "This CPU has no AVX512_BF16 or AMX: libtorch emulates bfloat16, so the rounding is bfloat16's but the speed is not.\n");
        return rows.All(r => r.Item4 == true) ? 0 : 1;
    }

    /// <summary>"1-5" or "1,3,7".</summary>
    private static IReadOnlyList<int> ParseSeeds(string text)
    {
        var range = text.Split('-');
        if (range is [var from, var to] && int.TryParse(from, out var a) && int.TryParse(to, out var b) && a <= b) return Enumerable.Range(a, b - a + 1).ToList();
        var list = text.Split(',').Select(s => int.TryParse(s.Trim(), out var seed) ? seed : (int?)null).ToList();
        return list.Count > 0 && list.All(s => s is not null) ? list.Select(s => s!.Value).ToList()
            : throw new ArgumentException($"--seeds takes A-B or A,B,C; it was '{text}'.");
    }

    /// <summary>Each precision's run in a child process of this command (<c>--run</c>), all at once.</summary>
    private static List<PresetCurve> SideBySide(ParseResult parse, FileInfo book, IReadOnlyList<PrecisionChoice> precisions, int? seed = null)
    {
        var folder = Directory.CreateTempSubdirectory("charrnn-bench-precision-").FullName;
        try
        {
            return SideBySideRuns.Train(precisions.Select(precision =>
            {
                var name = ContractsJson.Name(precision);
                var curve = Path.Combine(folder, name + ".json");
                return new SideBySideRun(name, curve, ["precision", "--preset", parse.GetValue(Preset)!, "--book", book.FullName, "--run", name, "--curve", curve,
                    "--seed", Invariant(seed ?? parse.GetValue(Seed)), "--epochs", Invariant(parse.GetValue(Epochs)), "--threads", Invariant(parse.GetValue(Threads)),
                    .. parse.GetValue(FirstBytes) is { } first ? new[] { "--first-bytes", Invariant(first) } : [],
                    .. parse.GetValue(Steps) is { } steps ? new[] { "--steps", Invariant(steps) } : []]);
            }).ToList());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>One precision's run (<c>--run bfloat16 --curve FILE</c>), as the side-by-side bench starts it.</summary>
    private static int RunOne(ParseResult parse, TrainingPreset preset, string text, PrecisionChoice precision)
    {
        var options = preset.Options with
        {
            Seed = parse.GetValue(Seed), Threads = parse.GetValue(Threads), Device = DeviceChoice.Cpu, Precision = precision,
            MaxSteps = parse.GetValue(Steps) ?? (long)parse.GetValue(Epochs) * preset.Options.StepsPerEpoch(text.Length),
        };
        var label = $"{preset.Name} ({TrainingPrecisions.For(precision, false).Name()})";
        Console.WriteLine($"{label}, seed {options.Seed}: {options.TotalSteps(text.Length):N0} steps on {options.Threads} thread(s).");
        PresetCurveFile.Write(parse.GetValue(CurveFile) ?? throw new ArgumentException("--run needs --curve FILE."), PresetRun.Train(text, label, options, Console.WriteLine));
        return 0;
    }

    private static string Table(PresetCurve float32, PresetCurve bfloat16, bool native)
    {
        var difference = Math.Abs(bfloat16.Final.ValLoss - float32.Final.ValLoss);
        var speedup = bfloat16.TrainingSpeed / float32.TrainingSpeed;
        return BenchmarkReport.Table(
        [
            ($"{float32.Preset}: validation loss at the end (step {float32.Final.Step:N0}) / wall time", $"{float32.Final.ValLoss:F4} / {float32.Seconds / 60:F1} min", "", null),
            ($"{bfloat16.Preset}: validation loss at the end (step {bfloat16.Final.Step:N0}) / wall time", $"{bfloat16.Final.ValLoss:F4} / {bfloat16.Seconds / 60:F1} min", "", null),
            ("Difference in validation loss", $"{difference:F4}", $"≤ {SameQuality:F2}", difference <= SameQuality),
            ($"{float32.Preset}: training speed", $"{float32.TrainingSpeed:N0} characters/s", "", null),
            ($"{bfloat16.Preset}: training speed", $"{bfloat16.TrainingSpeed:N0} characters/s", "", null),
            ("bfloat16 against float32", $"{speedup:F2}×", native ? $"≥ {NativeSpeedup}×" : $"≥ {NativeSpeedup}× only with native bfloat16 (not this CPU)", native ? speedup >= NativeSpeedup : null),
        ]);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
