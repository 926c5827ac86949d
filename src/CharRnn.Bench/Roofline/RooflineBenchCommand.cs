using System.CommandLine;
using System.Globalization;
using System.Text;
using CharRnn.Bench.Presets;
using CharRnn.Bench.Reports;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;
using CharRnn.Training.Model;
using CharRnn.Training.Precision;
using static TorchSharp.torch;

namespace CharRnn.Bench.Roofline;

/// <summary>
/// <c>charrnn-bench roofline</c>: how close a preset's training step comes to this machine's matrix-multiply rate, in
/// float32 and in bfloat16, all in one run. It times <c>torch.matmul</c> at the step's own shapes
/// (<see cref="ModelProducts"/>), then the step itself part by part (<see cref="TrainingCost.Profile"/>), and gives
/// characters a second, effective GFLOP/s and the share of the GEMM rate: the time the step's products would take at
/// the measured rates, over the step's time. Two child processes with <c>ONEDNN_VERBOSE=1</c> say which oneDNN
/// primitives run and for how long (the difference of a run with the timed steps and one without them).
/// </summary>
internal static class RooflineBenchCommand
{
    private const double BfloatTarget = 0.70;

    private static readonly Option<string> Preset = new("--preset") { Description = "The preset whose batch, sequence and model are measured.", DefaultValueFactory = _ => "fast" };
    private static readonly Option<FileInfo> Book = new("--book") { Description = "The book whose alphabet sizes the input and output layers.", DefaultValueFactory = _ => new FileInfo("corpus/anna.txt") };
    private static readonly Option<int> Steps = new("--steps") { Description = "Training steps timed in each precision, after the warm-up.", DefaultValueFactory = _ => 30 };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "Steps run before timing.", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<string?> Label = new("--label") { Description = "Names the section (roofline-PRESET-LABEL), to keep a before and an after side by side." };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();
    // The oneDNN profile's child runs: --onednn PRECISION --onednn-steps N.
    private static readonly Option<string?> OneDnn = new("--onednn") { Hidden = true };
    private static readonly Option<int> OneDnnSteps = new("--onednn-steps") { Hidden = true };

    public static Command Create()
    {
        var command = new Command("roofline", "Time the GEMMs at a preset's shapes and its training steps in float32 and bfloat16: characters a second, GFLOP/s, the share of the GEMM rate, and where a step's time goes.")
        {
            Preset, Book, Steps, Warmup, Threads, Label, Output, OneDnn, OneDnnSteps,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static readonly PrecisionChoice[] Precisions = [PrecisionChoice.Float32, PrecisionChoice.Bfloat16];

    private static int Bench(ParseResult parse)
    {
        var preset = TrainingPresets.Named(parse.GetValue(Preset)!);
        var vocabulary = Vocabulary.FromText(BookText.Load(parse.GetValue(Book)!.FullName).Text).Count;
        var threads = parse.GetValue(Threads);
        if (parse.GetValue(OneDnn) is { } precision)
        {
            TrainingCost.Profile(Options(preset, Enum.Parse<PrecisionChoice>(precision, ignoreCase: true)), vocabulary, threads, parse.GetValue(Warmup), parse.GetValue(OneDnnSteps));
            return 0;
        }

        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}");
        set_num_threads(threads);
        var products = ModelProducts.For(preset.Options, vocabulary);
        var rates = Precisions.ToDictionary(p => p, p => products.Select(product => GemmRate.Measure(product, Type(p))).ToList());
        var (warmup, steps) = (parse.GetValue(Warmup), parse.GetValue(Steps));
        var timers = Precisions.ToDictionary(p => p, p => TrainingCost.Profile(Options(preset, p), vocabulary, threads, warmup, steps));
        var oneDnn = Precisions.ToDictionary(p => p, p => OneDnnPerStep(parse, p, steps: Math.Min(steps, 10)));

        var options = preset.Options;
        var characters = options.BatchSize * options.SequenceLength;
        var stepFlops = ModelProducts.StepFlops(products);
        double Bound(PrecisionChoice p) => products.Select((product, i) => ModelProducts.ForwardAndBackward * product.Flops * product.PerStep / (rates[p][i] * 1e9)).Sum();
        double Share(PrecisionChoice p) => Bound(p) / timers[p].MeanStepSeconds;

        var gemmTable = new StringBuilder("| product | shape (m × k × n) | times a step | float32 GFLOP/s | bfloat16 GFLOP/s |\n| --- | --- | --- | --- | --- |\n");
        for (var i = 0; i < products.Count; i++)
            gemmTable.Append(CultureInfo.InvariantCulture, $"| {products[i].Name} | {products[i].Shape} | {products[i].PerStep} | {rates[PrecisionChoice.Float32][i]:F0} | {rates[PrecisionChoice.Bfloat16][i]:F0} |\n");

        var native = TrainingPrecisions.NativeHere(TrainingDevice.Cpu);
        var stepRows = new List<(string, string, string, bool?)>();
        foreach (var p in Precisions)
        {
            var seconds = timers[p].MeanStepSeconds;
            var name = ContractsJson.Name(p);
            stepRows.Add(($"{name}: a step / characters a second", $"{seconds * 1000:F1} ms / {characters / seconds:N0}", "", null));
            stepRows.Add(($"{name}: effective GFLOP/s (a step's products, {stepFlops / 1e9:F2} GFLOP, over its time)", $"{stepFlops / seconds / 1e9:F0}", "", null));
            stepRows.Add(($"{name}: share of the GEMM rate at its shapes ({Bound(p) * 1000:F1} ms of products at the measured rates)",
                $"{Share(p):P0}", p == PrecisionChoice.Bfloat16 ? $"≥ {BfloatTarget:P0}" + (native ? "" : " (needs AVX512_BF16 or AMX; not this CPU)") : "",
                p == PrecisionChoice.Bfloat16 && native ? Share(p) >= BfloatTarget : null));
        }
        stepRows.Add(("bfloat16 against float32, a step", $"{timers[PrecisionChoice.Float32].MeanStepSeconds / timers[PrecisionChoice.Bfloat16].MeanStepSeconds:F2}×", "", null));

        var phaseTable = new StringBuilder("| part of the step | float32 ms | bfloat16 ms |\n| --- | --- | --- |\n");
        foreach (var phase in Enum.GetValues<StepPhase>())
            phaseTable.Append(CultureInfo.InvariantCulture, $"| {Describe(phase)} | {Cell(timers[PrecisionChoice.Float32], phase)} | {Cell(timers[PrecisionChoice.Bfloat16], phase)} |\n");

        var oneDnnTable = new StringBuilder("| precision | oneDNN primitive | implementation | direction | calls a step | ms a step |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var p in Precisions)
            foreach (var e in oneDnn[p])
                oneDnnTable.Append(CultureInfo.InvariantCulture, $"| {ContractsJson.Name(p)} | {e.Kind} | {e.Implementation} | {e.Direction} | {e.Calls:0.#} | {e.Milliseconds:F2} |\n");

        var label = parse.GetValue(Label);
        BenchmarkReport.Write(parse.GetValue(Output)!, $"roofline-{preset.Key}{(label is null ? "" : "-" + label)}",
            $"Roofline: the {preset.Name} preset's step against the GEMM rate{(label is null ? "" : $" ({label})")} (`roofline`)",
            $". One process, {threads} libtorch thread(s): `torch.matmul` of random matrices at the step's shapes (batch {options.BatchSize}, sequence {options.SequenceLength}, "
            + $"{options.Layers}×{options.Hidden}, alphabet {vocabulary}), then {warmup} warm-up and {steps} timed training steps of the preset in each precision on random tokens.",
            gemmTable + "\n" + BenchmarkReport.Table(stepRows),
            "Where a step's time goes, part by part (the mean of the timed steps):\n\n" + phaseTable
            + "\nWhat oneDNN ran in a step (`ONEDNN_VERBOSE=1`, in child processes: a run with 10 timed steps less one without them):\n\n" + oneDnnTable
            + (native ? "" : "\nThis CPU has no AVX512_BF16 or AMX: libtorch emulates bfloat16, so its figures are not the ones the target is about.\n"));
        return 0;
    }

    private static TrainingOptions Options(TrainingPreset preset, PrecisionChoice precision) => preset.Options with { Precision = precision, Device = DeviceChoice.Cpu };

    private static ScalarType Type(PrecisionChoice precision) => precision == PrecisionChoice.Bfloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    private static string Cell(StepTimer timer, StepPhase phase) =>
        $"{timer.MeanSeconds(phase) * 1000:F1} ({timer.MeanSeconds(phase) / timer.MeanStepSeconds:P0})";

    private static string Describe(StepPhase phase) => phase switch
    {
        StepPhase.WeightCopy => "weight copy into bfloat16",
        StepPhase.Forward => "forward (one-hot, LSTM, output layer)",
        StepPhase.Loss => "loss",
        StepPhase.Backward => "backward",
        StepPhase.GradientCopy => "gradients back to float32",
        StepPhase.Clip => "clipping",
        StepPhase.Optimizer => "Adam",
        _ => "the rest (state, reading the loss)",
    };

    /// <summary>oneDNN's primitives in <paramref name="steps"/> steps: a child run with them, less one without them, a step's worth.</summary>
    private static IReadOnlyList<OneDnnProfile.Entry> OneDnnPerStep(ParseResult parse, PrecisionChoice precision, int steps)
    {
        List<string> Run(int timed)
        {
            var lines = new List<string>();
            var child = ChildProcess.Start(["roofline", "--preset", parse.GetValue(Preset)!, "--book", parse.GetValue(Book)!.FullName,
                    "--threads", parse.GetValue(Threads).ToString(CultureInfo.InvariantCulture), "--warmup", parse.GetValue(Warmup).ToString(CultureInfo.InvariantCulture),
                    "--onednn", ContractsJson.Name(precision), "--onednn-steps", timed.ToString(CultureInfo.InvariantCulture), "--output", "-"],
                line => { lock (lines) lines.Add(line); }, new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" });
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"The oneDNN profile run failed: {string.Join("\n", lines.TakeLast(20))}");
            return lines;
        }
        var with = OneDnnProfile.Parse(Run(steps));
        var without = OneDnnProfile.Parse(Run(0)).ToDictionary(e => (e.Kind, e.Implementation, e.Direction));
        return with.Select(e => without.GetValueOrDefault((e.Kind, e.Implementation, e.Direction)) is { } w
                ? e with { Calls = e.Calls - w.Calls, Milliseconds = e.Milliseconds - w.Milliseconds } : e)
            .Select(e => e with { Calls = e.Calls / steps, Milliseconds = e.Milliseconds / steps })
            .Where(e => e.Milliseconds > 0.005).OrderByDescending(e => e.Milliseconds).ToList();
    }
}
