using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using CharRnn.Contracts;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Devices;
using CharRnn.Training.Health;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;

namespace CharRnn.Cli.Commands;

/// <summary><c>charrnn train BOOK [options]</c>: trains with the notebook's defaults, checkpoints into --out.</summary>
internal static class TrainCommand
{
    private static readonly Argument<FileInfo> Book = new("book") { Description = "The text to learn: UTF-8, or a legacy encoding such as Windows-1251." };
    private static readonly Option<string?> Preset = new("--preset")
    {
        Description = "Start from a preset: " + string.Join(", ", TrainingPresets.All.Select(p => $"{p.Key} ({p.Name})")) + "; the notebook's by default. Other flags override it.",
    };

    /// <summary>A flag for every training option, from its description: its help, and the notebook's value as the default shown.</summary>
    private static readonly IReadOnlyList<(TrainingOption Option, Option<string> Flag)> OptionFlags = TrainingOption.All.Where(o => o.CommandLine)
        .Select(o => (o, new Option<string>(o.Flag)
        {
            Description = o.Help + (o.Choices.Count > 0 ? $" One of {string.Join(", ", o.Choices)}." : "")
                + (o.Get(TrainingPresets.Notebook.Options) is { } d ? $" Notebook: {TrainingOption.Format(d)}." : ""),
            HelpName = o.Type.IsEnum ? "choice" : o.WholeNumber ? "n" : "x",
        }))
        .ToList();

    private static readonly Option<DirectoryInfo?> Out = new("--out") { Description = "Folder for checkpoints (default: checkpoints/BOOK-NAME, or the resumed checkpoint's folder)." };
    private static readonly Option<FileInfo?> Resume = new("--resume") { Description = "Continue from this checkpoint, with its options, optimizer state and step; flags given here override its options." };
    private static readonly Option<FileInfo?> InitFrom = new("--init-from")
    {
        Description = "Fine-tune this checkpoint (ours, or the notebook's .net file) on the book: its shape and weights, its alphabet grown by the book's new characters, a fresh optimizer and these options.",
    };

    public static Command Create()
    {
        var command = new Command("train", "Train a character LSTM on a book.") { Book, Preset, Out, Resume, InitFrom };
        foreach (var (_, flag) in OptionFlags) command.Options.Add(flag);
        command.SetAction(parse => CliErrors.Run(() => Train(parse)));
        return command;
    }

    private static int Train(ParseResult parse)
    {
        var book = BookText.Load(parse.GetValue(Book)!.FullName);
        var resume = parse.GetValue(Resume)?.FullName;
        Checkpoint? resumed = resume is null ? null : CheckpointFile.Read(resume);
        var preset = parse.GetValue(Preset) is { } key ? TrainingPresets.Named(key) : TrainingPresets.Notebook;
        var start = resumed is not null ? TrainingJson.OptionsOf(resumed) ?? new TrainingOptions() : preset.Options;
        var initFrom = parse.GetValue(InitFrom)?.FullName;
        if (resumed is null && TrainingPresets.Problem(preset, initFrom is not null) is { } needs) throw new ArgumentException(needs);
        if (initFrom is not null && resume is not null) throw new ArgumentException("Give --resume or --init-from, not both: a resume continues its own run, a fine-tune starts a new one.");
        Checkpoint? source = initFrom is null ? null : CheckpointFormats.Read(initFrom);
        var options = BuildOptions(parse, source is null ? start : ShapeOf(start, source));
        var outDirectory = parse.GetValue(Out)?.FullName
            ?? (resume is not null ? Path.GetDirectoryName(resume)! : Path.Combine("checkpoints", Path.GetFileNameWithoutExtension(parse.GetValue(Book)!.Name)));

        var trainer = source is null
            ? new Trainer(book.Text, options, outDirectory, vocabulary: resumed?.Vocabulary)
            : Trainer.FineTune(book.Text, source, options, outDirectory);
        var o = trainer.Options;
        Console.WriteLine($"Book: {book.Text.Length:N0} characters ({book.Encoding}), {trainer.Vocabulary.Count} distinct.");
        if (source is not null)
        {
            var added = trainer.Vocabulary.Tokens.Skip(source.Vocabulary.Count).ToList();
            Console.WriteLine($"Fine-tuning {initFrom}: {source.Config.Layers}×{source.Config.Hidden}, {source.Vocabulary.Count} characters"
                + (added.Count == 0 ? ", none added." : $", {added.Count} added: {string.Join(" ", added.Select(OneLine))}."));
        }
        Console.WriteLine($"Model: {o.Layers}×{o.Hidden} LSTM, dropout {o.Dropout}; batch {o.BatchSize}×{o.SequenceLength}, lr {o.LearningRate}{(o.Schedule == ScheduleKind.Constant ? "" : $" ({ContractsJson.Name(o.Schedule)}: {o.WarmupSteps} warm-up steps, down to {o.MinLearningRate})")}, clip {o.GradientClip}, seed {o.Seed}.");
        Console.WriteLine($"Device: {trainer.Device.Describe()}.");
        Console.WriteLine($"Precision: {TrainingPrecisions.ExplainHere(o.Precision, trainer.Device)}.");
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
        // The web app's health checks, with their default thresholds: each condition is said once, on a line of its own.
        var health = new HealthMonitor(o, trainer.TotalSteps, CharacterFrequencies.OfBook(book.Text), new HealthSettings());
        health.Attach(trainer);
        var warned = new HashSet<HealthCondition>();
        health.Changed += now => { if (now is not null && warned.Add(now.Condition)) progress.Message($"warning: {now.Detail}"); };
        trainer.CheckpointSaved += c => { if (c.IsBest) progress.Message($"step {c.Step}: best so far, saved as {Path.Combine(outDirectory, RunCheckpoints.BestFileName)}"); };

        // Ctrl+C (SIGINT) and kill (SIGTERM: Slurm, docker stop, systemd) stop after the current step with a checkpoint.
        // A process that a shell started with SIGINT ignored (a background job, or anything such a job starts) keeps
        // ignoring it, as .NET leaves it: Ctrl+C cannot stop it then, so it says how to.
        if (CtrlCIgnored())
            Console.WriteLine($"Ctrl+C is ignored: charrnn was started with SIGINT ignored (as a shell starts a background job). Stop it with kill {Environment.ProcessId}, which also saves a checkpoint.");
        using var cancel = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true; // keep the process alive until the checkpoint is written
            progress.Message("Stopping after this step and saving a checkpoint…");
            cancel.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

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

    /// <summary>
    /// A fine-tune's start: the checkpoint's shape (layers, hidden units) over <paramref name="start"/>. Flags that ask
    /// for another shape are left for <see cref="Trainer.FineTune"/> to refuse, naming both.
    /// </summary>
    private static TrainingOptions ShapeOf(TrainingOptions start, Checkpoint source) =>
        start with { Hidden = source.Config.Hidden, Layers = source.Config.Layers };

    /// <summary>Whether this process was started with SIGINT ignored (Linux says so in /proc/self/status, as a bit mask of signals).</summary>
    private static bool CtrlCIgnored()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:")) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 1UL << (2 - 1)) != 0; // SIGINT is signal 2
    }

    /// <summary>
    /// Flags given on the command line override <paramref name="start"/>; the others keep its values, except
    /// <c>--max-steps</c>, which a resumed run does not inherit (each invocation says how far it goes).
    /// </summary>
    private static TrainingOptions BuildOptions(ParseResult parse, TrainingOptions start)
    {
        var options = start with { MaxSteps = null };
        foreach (var (option, flag) in OptionFlags)
        {
            if (parse.GetResult(flag) is not { Implicit: false }) continue;
            if (!option.TryParse(parse.GetValue(flag), out var value, out var problem)) throw new ArgumentException($"{flag.Name}: {problem}");
            options = option.With(options, value);
        }
        return options;
    }

    private static string FormatEta(TimeSpan eta) => eta.TotalHours >= 1 ? $"{(int)eta.TotalHours}:{eta:mm\\:ss}" : eta.ToString("mm\\:ss");

    private static string OneLine(string text)
    {
        var line = text.Replace("\n", "⏎");
        return line.Length > 100 ? line[..100] + "…" : line;
    }
}
