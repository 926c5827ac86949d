using System.CommandLine;
using System.CommandLine.Parsing;
using CharRnn.Inference;
using CharRnn.Training;

namespace CharRnn.Cli.Commands;

/// <summary><c>charrnn train BOOK [options]</c>: trains with the notebook's defaults, checkpoints into --out.</summary>
internal static class TrainCommand
{
    private static readonly TrainingOptions Defaults = new();

    private static readonly Argument<FileInfo> Book = new("book") { Description = "The text to learn: UTF-8, or a legacy encoding such as Windows-1251." };
    private static readonly Option<int> Hidden = new("--hidden") { Description = "Units in each LSTM layer.", DefaultValueFactory = _ => Defaults.Hidden };
    private static readonly Option<int> Layers = new("--layers") { Description = "Stacked LSTM layers.", DefaultValueFactory = _ => Defaults.Layers };
    private static readonly Option<double> Dropout = new("--dropout") { Description = "Dropout between layers and before the output.", DefaultValueFactory = _ => Defaults.Dropout };
    private static readonly Option<double> LearningRate = new("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    private static readonly Option<ScheduleKind> Schedule = new("--schedule") { Description = "constant (the notebook's), cosine or linear: a warm-up to --lr, then a decay to --min-lr at the last step.", DefaultValueFactory = _ => Defaults.Schedule };
    private static readonly Option<int> WarmupSteps = new("--warmup-steps") { Description = "Steps over which the rate rises to --lr, with cosine or linear.", DefaultValueFactory = _ => Defaults.WarmupSteps };
    private static readonly Option<double> MinLearningRate = new("--min-lr") { Description = "The rate cosine or linear reach at the last step.", DefaultValueFactory = _ => Defaults.MinLearningRate };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Sequences per batch.", DefaultValueFactory = _ => Defaults.BatchSize };
    private static readonly Option<int> SequenceLength = new("--seq-length") { Description = "Characters per sequence.", DefaultValueFactory = _ => Defaults.SequenceLength };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Passes over the text.", DefaultValueFactory = _ => Defaults.Epochs };
    private static readonly Option<double> Clip = new("--clip") { Description = "Largest gradient norm.", DefaultValueFactory = _ => Defaults.GradientClip };
    private static readonly Option<double> ValidationFraction = new("--val-frac") { Description = "Share of the text held out for validation.", DefaultValueFactory = _ => Defaults.ValidationFraction };
    private static readonly Option<int> EvaluateEvery = new("--eval-every") { Description = "Steps between evaluations and checkpoints.", DefaultValueFactory = _ => Defaults.EvaluateEvery };
    private static readonly Option<int?> EvaluationBatches = new("--eval-batches") { Description = "Validation batches read between epoch ends (a fixed subset chosen by the seed); 0 or absent: the whole split. Epoch ends always read it all." };
    private static readonly Option<string?> Preset = new("--preset") { Description = "Start from a preset: notebook (the default), fast (the notebook's model, to its quality sooner) or quick; other flags override it." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Makes the run repeatable (default: a random seed, which is printed)." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads for libtorch (default: one per core)." };
    private static readonly Option<long?> MaxSteps = new("--max-steps") { Description = "Stop after this many steps in all, saving a checkpoint." };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => Defaults.Device };
    private static readonly Option<DirectoryInfo?> Out = new("--out") { Description = "Folder for checkpoints (default: checkpoints/BOOK-NAME, or the resumed checkpoint's folder)." };
    private static readonly Option<FileInfo?> Resume = new("--resume") { Description = "Continue from this checkpoint, with its options, optimizer state and step; flags given here override its options." };

    public static Command Create()
    {
        var command = new Command("train", "Train a character LSTM on a book.")
        {
            Book, Hidden, Layers, Dropout, LearningRate, Schedule, WarmupSteps, MinLearningRate, BatchSize, SequenceLength, Epochs, Clip, ValidationFraction,
            EvaluateEvery, EvaluationBatches, Preset, Seed, Threads, MaxSteps, Device, Out, Resume,
        };
        command.SetAction(parse => CliErrors.Run(() => Train(parse)));
        return command;
    }

    private static int Train(ParseResult parse)
    {
        var book = BookText.Load(parse.GetValue(Book)!.FullName);
        var resume = parse.GetValue(Resume)?.FullName;
        Checkpoint? resumed = resume is null ? null : CheckpointFile.Read(resume);
        var start = resumed is not null ? TrainingJson.OptionsOf(resumed) ?? new TrainingOptions()
            : parse.GetValue(Preset) is { } preset ? TrainingPresets.Named(preset) : TrainingPresets.Notebook;
        var options = BuildOptions(parse, start);
        var outDirectory = parse.GetValue(Out)?.FullName
            ?? (resume is not null ? Path.GetDirectoryName(resume)! : Path.Combine("checkpoints", Path.GetFileNameWithoutExtension(parse.GetValue(Book)!.Name)));

        var trainer = new Trainer(book.Text, options, outDirectory, vocabulary: resumed?.Vocabulary);
        var o = trainer.Options;
        Console.WriteLine($"Book: {book.Text.Length:N0} characters ({book.Encoding}), {trainer.Vocabulary.Count} distinct.");
        Console.WriteLine($"Model: {o.Layers}×{o.Hidden} LSTM, dropout {o.Dropout}; batch {o.BatchSize}×{o.SequenceLength}, lr {o.LearningRate}{(o.Schedule == ScheduleKind.Constant ? "" : $" ({o.Schedule.ToString().ToLowerInvariant()}: {o.WarmupSteps} warm-up steps, down to {o.MinLearningRate})")}, clip {o.GradientClip}, seed {o.Seed}.");
        Console.WriteLine($"Device: {(TorchDevices.Resolve(o.Device).type == TorchSharp.DeviceType.CUDA ? TorchDevices.CudaDescription : "CPU")}.");
        Console.WriteLine($"Training: {trainer.StepsPerEpoch} steps an epoch, {trainer.TotalSteps} in all{(resume is null ? "" : $", resuming from {resume}")}; checkpoints in {outDirectory}.");
        Console.WriteLine($"Evaluation: every {o.EvaluateEvery} steps on {(o.EvaluationBatches is { } k ? $"{k} validation batches chosen by the seed, the whole split at each epoch's end" : "the whole validation split")}.");

        var progress = new ProgressLine(Console.Out, interactive: !Console.IsOutputRedirected);
        double? lastValLoss = null;
        trainer.StepCompleted += s => progress.Update((double)s.Step / s.TotalSteps,
            $"epoch {s.Epoch}/{s.Epochs} step {s.Step}/{s.TotalSteps} loss {s.TrainLoss:F4} val {(lastValLoss is { } v ? v.ToString("F4") : "-")} {s.CharsPerSecond:N0} chars/s ETA {FormatEta(s.Eta)}");
        trainer.Evaluated += e =>
        {
            lastValLoss = e.ValLoss;
            var what = e.WholeSplit ? "validation loss" : $"validation estimate ({o.EvaluationBatches} batches)";
            progress.Message($"step {e.Step}: {what} {e.ValLoss:F4} in {e.Seconds:F1} s | {OneLine(e.Sample)}");
        };
        trainer.CheckpointSaved += c => { if (c.IsBest) progress.Message($"step {c.Step}: best so far, saved as {Path.Combine(outDirectory, RunCheckpoints.BestFileName)}"); };

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // keep the process alive until the checkpoint is written
            progress.Message("Stopping after this step and saving a checkpoint…");
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            var result = trainer.Run(cancel.Token, resume);
            progress.Finish();
            Console.WriteLine(result.Outcome switch
            {
                TrainingOutcome.Cancelled => $"Stopped at step {result.Step}; resume with --resume {result.LastCheckpoint}",
                TrainingOutcome.StepLimitReached => $"Stopped at step {result.Step} (--max-steps); resume with --resume {result.LastCheckpoint}",
                _ => $"Finished {result.Step} steps.",
            });
            if (result.BestCheckpoint is not null) Console.WriteLine($"Best validation loss {result.BestValLoss:F4}: {result.BestCheckpoint}");
            return result.Outcome == TrainingOutcome.Cancelled ? CliErrors.Interrupted : 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>Flags given on the command line override <paramref name="start"/>; the others keep its values.</summary>
    private static TrainingOptions BuildOptions(ParseResult parse, TrainingOptions start)
    {
        T Pick<T>(Option<T> option, T current) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : current;
        return start with
        {
            Hidden = Pick(Hidden, start.Hidden),
            Layers = Pick(Layers, start.Layers),
            Dropout = Pick(Dropout, start.Dropout),
            LearningRate = Pick(LearningRate, start.LearningRate),
            Schedule = Pick(Schedule, start.Schedule),
            WarmupSteps = Pick(WarmupSteps, start.WarmupSteps),
            MinLearningRate = Pick(MinLearningRate, start.MinLearningRate),
            BatchSize = Pick(BatchSize, start.BatchSize),
            SequenceLength = Pick(SequenceLength, start.SequenceLength),
            Epochs = Pick(Epochs, start.Epochs),
            GradientClip = Pick(Clip, start.GradientClip),
            ValidationFraction = Pick(ValidationFraction, start.ValidationFraction),
            EvaluateEvery = Pick(EvaluateEvery, start.EvaluateEvery),
            EvaluationBatches = parse.GetResult(EvaluationBatches) is { Implicit: false } ? (parse.GetValue(EvaluationBatches) is > 0 and var n ? n : null) : start.EvaluationBatches,
            Seed = Pick(Seed, start.Seed),
            Threads = Pick(Threads, start.Threads),
            MaxSteps = Pick(MaxSteps, (long?)null),
            Device = Pick(Device, start.Device),
        };
    }

    private static string FormatEta(TimeSpan eta) => eta.TotalHours >= 1 ? $"{(int)eta.TotalHours}:{eta:mm\\:ss}" : eta.ToString("mm\\:ss");

    private static string OneLine(string text)
    {
        var line = text.Replace("\n", "⏎");
        return line.Length > 100 ? line[..100] + "…" : line;
    }
}
