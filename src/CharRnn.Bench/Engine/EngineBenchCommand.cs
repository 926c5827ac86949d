using System.CommandLine;
using CharRnn.Bench.Reports;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Batches;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using TorchSharp;

namespace CharRnn.Bench.Engine;

/// <summary>
/// <c>charrnn-bench engine</c>: in one run on one machine, (a) training characters/s of the Trainer against a bare
/// TorchSharp loop, (b) sampling characters/s of our engine against TorchSharp's stepped nn.LSTM,
/// (c) resident memory; printed, and written to docs/benchmarks.md with the command line.
/// </summary>
internal static class EngineBenchCommand
{
    private static readonly Option<FileInfo?> Book = new("--book") { Description = "Text to train on (default: 2 million random characters from 83 symbols, like anna.txt's alphabet)." };
    private static readonly Option<int> Hidden = new("--hidden") { DefaultValueFactory = _ => 512 };
    private static readonly Option<int> Layers = new("--layers") { DefaultValueFactory = _ => 2 };
    private static readonly Option<int> BatchSize = new("--batch-size") { DefaultValueFactory = _ => 128 };
    private static readonly Option<int> SequenceLength = new("--seq-length") { DefaultValueFactory = _ => 100 };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads for training (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "Unmeasured steps at the start of each training measurement.", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> BareSteps = new("--bare-steps") { Description = "Measured steps of each bare-loop run.", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> TrainerSteps = new("--trainer-steps") { Description = "Steps of the Trainer run; memory is read at its end.", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> MemoryFrom = new("--memory-from") { Description = "Step at which the first memory reading is taken.", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> SampleChars = new("--sample-chars") { DefaultValueFactory = _ => 20_000 };
    private static readonly Option<int> TorchChars = new("--torch-chars") { DefaultValueFactory = _ => 2_000 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("engine", "Measure training and sampling speed and memory against plain TorchSharp.")
        {
            Book, Hidden, Layers, BatchSize, SequenceLength, Threads, Warmup, BareSteps, TrainerSteps, MemoryFrom, SampleChars, TorchChars, Output,
        };
        command.SetAction(parse => BenchErrors.Run(() => Bench(parse)));
        return command;
    }

    private static int Bench(ParseResult parse)
    {
        void Log(string line) => Console.WriteLine(line);
        var book = parse.GetValue(Book);
        var text = book is null ? SyntheticText.Create(2_000_000) : BookText.Load(book.FullName).Text;
        var threads = parse.GetValue(Threads);
        torch.set_num_threads(threads);
        var options = new TrainingOptions
        {
            Hidden = parse.GetValue(Hidden), Layers = parse.GetValue(Layers), BatchSize = parse.GetValue(BatchSize),
            SequenceLength = parse.GetValue(SequenceLength), Threads = threads, Seed = 1, Device = DeviceChoice.Cpu,
        };
        Log($"Machine: {BenchmarkReport.Machine()}");
        Log($"Text: {(book is null ? "synthetic" : book.Name)}, {text.Length:N0} characters. Model {options.Layers}×{options.Hidden}, batch {options.BatchSize}×{options.SequenceLength}, {threads} libtorch thread(s).");

        var training = TrainingBench.Run(text, options, parse.GetValue(Warmup), parse.GetValue(BareSteps), parse.GetValue(TrainerSteps), parse.GetValue(MemoryFrom), Log);
        var sampling = SamplingBench.Run(options.Hidden, options.Layers, Vocabulary.FromText(text).Count, parse.GetValue(SampleChars), parse.GetValue(TorchChars), threads, Log);
        var peak = NativeMemory.PeakResidentBytes();

        var rows = new List<(string, string, string, bool?)>
        {
            ("Training, bare TorchSharp loop (before / after)", $"{training.BareBefore:N0} / {training.BareAfter:N0} chars/s", "", null),
            ("Training, Trainer", $"{training.Trainer:N0} chars/s", "", null),
            ("Trainer ÷ bare loop", $"{training.Ratio:P1}", "≥ 95 %", training.Ratio >= 0.95),
            ($"Sampling, our engine ({sampling.Kernel}, the default: same text as the browser), float32 weights, 1 thread", $"{sampling.Engine:N0} chars/s", "≥ 4,000", sampling.Engine >= 4000),
            ($"Sampling, our engine ({sampling.Kernel}), bfloat16 weights (opt-in), 1 thread", $"{sampling.EngineBFloat16:N0} chars/s", "≥ 4,000", sampling.EngineBFloat16 >= 4000),
            ("Sampling, our engine (Vector256 with fused multiply-adds), 1 thread", $"{sampling.EngineVector256:N0} chars/s", "", null),
            ("Sampling, our engine (one TensorPrimitives.Dot a row), 1 thread", $"{sampling.EngineTensorPrimitives:N0} chars/s", "", null),
            ($"Ceiling for float32: one core streaming the {sampling.WeightBytes / 1e6:N1} MB of weights once a character", $"{sampling.ReadGBps:N1} GB/s → {sampling.BandwidthCeiling:N0} chars/s", "", null),
            ($"Sampling, TorchSharp nn.LSTM stepped, {sampling.TorchThreads} thread(s)", $"{sampling.Torch:N0} chars/s", "", null),
            ("Engine (float32) ÷ TorchSharp stepped", $"{sampling.Engine / sampling.Torch:F1}×", "≥ 4×", sampling.Engine / sampling.Torch >= 4),
            ($"Resident memory after {training.SmallStep} / {training.LargeStep} Trainer steps", $"{training.ResidentAtSmall / 1e6:N0} / {training.ResidentAtLarge / 1e6:N0} MB ({training.MemoryChange:+0.0%;-0.0%})", "within ±10 %", Math.Abs(training.MemoryChange) <= 0.10),
            ("Peak resident memory of the whole run", $"{peak / 1e6:N0} MB", "", null),
        };
        BenchmarkReport.Write(parse.GetValue(Output)!, "engine", "Engine: training and sampling (`engine`)",
            $"; text: {(book is null ? "synthetic, 83 symbols" : book.Name)}; model {options.Layers}×{options.Hidden}, batch {options.BatchSize}×{options.SequenceLength}, {threads} libtorch thread(s).",
            BenchmarkReport.Table(rows),
            "The Trainer's figure is its steady state (from the end of its warm-up steps to its last step, no evaluation in between); "
            + "the bare loop ran before and after it in the same process, and the ratio uses their mean. "
            + "Sampling draws with top-k 5 on both sides; the engine runs on one thread. Float32 sampling of a 2×512 model reads its 12.8 MB of weights "
            + "every character, more than the caches hold, so one core's memory bandwidth (the ceiling row) bounds it; bfloat16 weights halve those bytes "
            + "(`charrnn sample --precision BFloat16`), moving logits by about 1e-3.\n");
        return 0;
    }
}
