using System.Diagnostics;
using System.Text;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Cli.Tests;

[Slow(SlowBecause.Process)]
public class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Verse = "the quick brown fox jumps over the lazy dog.\n";

    private string Book(string text, string name = "book.txt")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Out => Path.Combine(_folder, "out");

    private static readonly string[] SmallRun =
        ["--hidden", "32", "--layers", "1", "--batch-size", "8", "--seq-length", "25", "--lr", "0.01", "--dropout", "0", "--seed", "3", "--threads", "1"];

    private ConsoleProgram.Result TrainSmall(params string[] extra) =>
        Charrnn.Run(["train", Book(string.Concat(Enumerable.Repeat(Verse, 50))), .. SmallRun, "--out", Out, .. extra]);

    [Fact]
    public void A_run_at_a_learning_rate_of_one_prints_its_health_warning_once_on_a_line_of_its_own()
    {
        // A 1×64 model at a rate of 1 on the start of anna.txt, for a few hundred steps, as the web app's test runs it.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "CharRnn.Web.sln"))) root = root.Parent!;
        var anna = Path.Combine(root.FullName, "corpus", "anna.txt");
        var result = Charrnn.Run("train", Book(File.ReadAllText(anna)[..20_000]), "--hidden", "64", "--layers", "1", "--batch-size", "8", "--seq-length", "20",
            "--lr", "1", "--dropout", "0", "--epochs", "2", "--seed", "1", "--threads", "1", "--eval-every", "100000", "--out", Out);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var warnings = result.Stdout.Split('\n').Where(l => l.StartsWith("warning: ")).ToList();
        var warning = Assert.Single(warnings);
        Assert.Matches(@"^warning: (Diverging|Stuck)\b.*The learning rate \(1\) is probably too high", warning);
    }

    [Fact]
    public void Train_has_a_flag_for_every_training_option_with_its_help_and_the_notebooks_value()
    {
        var help = Charrnn.Run("train", "--help");

        Assert.Equal(0, help.ExitCode);
        var text = System.Text.RegularExpressions.Regex.Replace(help.Stdout, @"\s+", " "); // help wraps long lines
        Assert.All(TrainingOption.All.Where(o => o.CommandLine), option =>
        {
            Assert.Contains(option.Flag + " <", text);
            Assert.Contains(option.Help[..Math.Min(40, option.Help.Length)], text);
        });
        Assert.Contains("--init-from <init-from> Fine-tune this checkpoint", text); // initFrom's own form: a file, not a server's id
        Assert.Contains("Units in each LSTM layer. Notebook: 512.", text);
    }

    [Fact]
    public void Preset_fast_brings_its_schedule_and_subset_and_flags_override_it()
    {
        // SmallRun's --lr overrides the preset's peak; --eval-every 4 puts two estimates in each 10-step epoch.
        var result = TrainSmall("--preset", "fast", "--epochs", "2", "--eval-every", "4", "--eval-batches", "1", "--val-frac", "0.3");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("lr 0.01 (cosine: 50 warm-up steps, down to 0.0001)", result.Stdout);
        Assert.Contains("Evaluation: every 4 steps on 1 validation batches chosen by the seed, the whole split at each epoch's end.", result.Stdout);
        Assert.Matches(@"step 4: validation estimate \(1 batches\) \d\.\d{4}", result.Stdout);
        Assert.Matches(@"step 7: validation loss \d\.\d{4}", result.Stdout);

        var unknown = TrainSmall("--preset", "fastest");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("There is no preset 'fastest'; the presets are notebook, fast, hour, quick, finetune.", unknown.Stderr);
    }

    [Fact]
    public void Preset_hour_trains_and_says_its_precision_and_why()
    {
        var result = TrainSmall("--preset", "hour", "--epochs", "1");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("(cosine: 50 warm-up steps, down to 0.0001)", result.Stdout);
        // The speed presets ask for auto: bfloat16 where this CPU has it natively, float32 elsewhere, with the reason.
        Assert.Contains(TrainingPrecisions.ExplainHere(PrecisionChoice.Auto, TrainingDevice.Cpu), result.Stdout);
    }

    [Fact]
    public void Train_writes_checkpoints_and_the_best_one_and_reports_the_validation_loss()
    {
        var result = TrainSmall("--epochs", "3", "--eval-every", "10");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("10 steps an epoch, 30 in all", result.Stdout);
        Assert.Contains("Finished 30 steps.", result.Stdout);
        Assert.Matches(@"Best validation loss \d\.\d{4}", result.Stdout);
        Assert.True(File.Exists(Path.Combine(Out, "best.safetensors")));
        Assert.True(File.Exists(Path.Combine(Out, "step-0000030.safetensors")));
    }

    [Fact]
    public void Sample_streams_the_prime_then_the_drawn_text_and_repeats_with_a_seed()
    {
        TrainSmall("--epochs", "1");
        var checkpoint = Path.Combine(Out, "best.safetensors");

        var first = Charrnn.Run("sample", checkpoint, "--prime", "the ", "--length", "80", "--top-k", "3", "--seed", "7");
        var second = Charrnn.Run("sample", checkpoint, "--prime", "the ", "--length", "80", "--top-k", "3", "--seed", "7");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.StartsWith("the ", first.Stdout);
        Assert.Equal("the ".Length + 80 + "\n".Length, first.Stdout.Length); // the verse's alphabet is ASCII: one char each
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains("seed 7", first.Stderr);
    }

    [Fact]
    public void Sample_steers_with_top_p_a_stop_a_beam_and_a_prime_file_and_says_why_it_ended()
    {
        TrainSmall("--epochs", "1");
        var checkpoint = Path.Combine(Out, "best.safetensors");
        var primeFile = Path.Combine(_folder, "prime.txt");
        File.WriteAllText(primeFile, "the quick ");

        var free = Charrnn.Run("sample", checkpoint, "--prime-file", primeFile, "--length", "200", "--top-p", "0.9", "--seed", "7");
        Assert.True(free.ExitCode == 0, free.Stderr);
        Assert.StartsWith("the quick ", free.Stdout);
        Assert.Contains("ended by length", free.Stderr);
        var stop = free.Stdout.Substring(100, 2);
        var end = free.Stdout.IndexOf(stop, "the quick ".Length, StringComparison.Ordinal) + 2;

        var stopped = Charrnn.Run("sample", checkpoint, "--prime-file", primeFile, "--length", "200", "--top-p", "0.9", "--seed", "7", "--stop", stop, "--stop", "never");
        Assert.Equal(free.Stdout[..end] + "\n", stopped.Stdout);
        Assert.Contains("ended by stop", stopped.Stderr);

        var beam = Charrnn.Run("sample", checkpoint, "--prime", "the ", "--length", "60", "--beam", "4");
        Assert.True(beam.ExitCode == 0, beam.Stderr);
        Assert.Matches(@"log-probability -\d+\.\d{3}, \d\.\d{3} bits per character", beam.Stderr);

        var refused = Charrnn.Run("sample", checkpoint, "--prime", "the ", "--beam", "2", "--top-k", "3");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("does not combine with top-k or top-p", refused.Stderr);
    }

    [Fact]
    public void Sampling_with_bfloat16_weights_draws_the_asked_length_repeatably()
    {
        TrainSmall("--epochs", "1"); // 32 units: a multiple of 16, so bfloat16 applies
        string[] sample = ["sample", Path.Combine(Out, "best.safetensors"), "--prime", "the", "--length", "120", "--seed", "5", "--precision", "BFloat16"];
        var first = Charrnn.Run(sample);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(3 + 120 + 1, first.Stdout.Length);
        Assert.Equal(first.Stdout, Charrnn.Run(sample).Stdout);
    }

    [Fact]
    public void A_notebook_format_copy_samples_the_same_text()
    {
        TrainSmall("--epochs", "1");
        var ours = Path.Combine(Out, "best.safetensors");
        var notebook = Path.Combine(_folder, "rnn.net");

        var convert = Charrnn.Run("convert", ours, notebook, "--to", "pytorch");
        Assert.True(convert.ExitCode == 0, convert.Stderr);

        string[] sample = ["--prime", "the", "--length", "100", "--seed", "11"];
        Assert.Equal(Charrnn.Run(["sample", ours, .. sample]).Stdout, Charrnn.Run(["sample", notebook, .. sample]).Stdout);
    }

    [Fact]
    public void A_prime_with_unknown_characters_fails_naming_them_on_one_line()
    {
        TrainSmall("--epochs", "1");
        var result = Charrnn.Run("sample", Path.Combine(Out, "best.safetensors"), "--prime", "The Quick");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("charrnn: The prime contains 2 characters that the model does not know: 'T', 'Q'.", result.Stderr.Trim());
    }

    [Fact]
    public void An_empty_book_fails_with_a_one_line_reason()
    {
        var result = Charrnn.Run("train", Book(""), "--out", Out);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("charrnn: The file is empty.", result.Stderr.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_book_too_short_for_the_notebooks_batch_fails_saying_what_would_fit()
    {
        var result = Charrnn.Run("train", Book(string.Concat(Enumerable.Repeat(Verse, 100))), "--out", Out);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("charrnn: The text is too short for one batch: one batch is 128 × 100 = 12,800 characters", result.Stderr);
        Assert.Contains("These would fit:", result.Stderr);
    }

    [Fact]
    public void A_corrupt_checkpoint_fails_with_a_one_line_reason()
    {
        var path = Path.Combine(_folder, "broken.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var result = Charrnn.Run("sample", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("too short to be a checkpoint", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Bfloat16_is_said_and_a_resume_keeps_it()
    {
        var result = TrainSmall("--epochs", "5", "--max-steps", "5", "--precision", "bfloat16");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Precision: bfloat16, as asked", result.Stdout);

        var resumed = Charrnn.Run("train", Path.Combine(_folder, "book.txt"), "--resume", Path.Combine(Out, "step-0000005.safetensors"), "--max-steps", "8");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("Precision: bfloat16, as asked", resumed.Stdout);
        Assert.Contains("Stopped at step 8 (--max-steps)", resumed.Stdout);

        var plain = TrainSmall("--epochs", "1", "--max-steps", "1");
        Assert.Contains("Precision: float32, as asked.", plain.Stdout);
    }

    [Fact]
    public void Init_from_fine_tunes_ours_or_the_notebooks_checkpoint_on_another_book_and_grows_its_alphabet()
    {
        TrainSmall("--epochs", "1");
        var best = Path.Combine(Out, "best.safetensors");
        var notebook = Path.Combine(_folder, "source.net");
        NotebookCheckpoint.Write(notebook, CheckpointFile.Read(best));
        var exclaimed = Book(string.Concat(Enumerable.Repeat(Verse.Replace('.', '!'), 50)), "exclaimed.txt");

        foreach (var (source, folder) in new[] { (best, "fine"), (notebook, "fine-from-net") })
        {
            var result = Charrnn.Run(["train", exclaimed, "--init-from", source, .. SmallRun, "--epochs", "1", "--out", Path.Combine(_folder, folder)]);

            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains($"Fine-tuning {source}: 1×32, 29 characters, 1 added: !.", result.Stdout);
            var tuned = CheckpointFile.Read(Path.Combine(_folder, folder, "best.safetensors"));
            Assert.Equal([.. CheckpointFile.Read(best).Vocabulary.Tokens, "!"], tuned.Vocabulary.Tokens);
        }
    }

    [Fact]
    public void Init_from_refuses_another_shape_a_resume_beside_it_and_a_file_that_is_no_checkpoint_and_the_fine_tune_preset_needs_it()
    {
        TrainSmall("--epochs", "1");
        var best = Path.Combine(Out, "best.safetensors");
        var book = Path.Combine(_folder, "book.txt");

        var shape = Charrnn.Run("train", book, "--init-from", best, "--hidden", "16", "--out", Path.Combine(_folder, "a"));
        var both = Charrnn.Run("train", book, "--init-from", best, "--resume", best, "--out", Path.Combine(_folder, "b"));
        var text = Charrnn.Run("train", book, "--init-from", book, "--out", Path.Combine(_folder, "c"));
        var preset = Charrnn.Run("train", book, "--preset", "finetune", "--out", Path.Combine(_folder, "d"));

        Assert.Equal((1, 1, 1, 1), (shape.ExitCode, both.ExitCode, text.ExitCode, preset.ExitCode));
        Assert.Contains("The Fine-tune preset continues a checkpoint: give the checkpoint to start from (initFrom, or --init-from)", preset.Stderr);
        Assert.Contains("The checkpoint is a 1×32 model and the options ask for 1×16: a fine-tune keeps the checkpoint's shape", shape.Stderr);
        Assert.Contains("Give --resume or --init-from, not both", both.Stderr);
        Assert.StartsWith("charrnn: ", text.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_folder, "a")) && Directory.GetFiles(Path.Combine(_folder, "a")).Length > 0);
    }

    [Fact]
    public void Resume_continues_from_a_checkpoint_to_the_new_step_limit()
    {
        TrainSmall("--epochs", "5", "--max-steps", "5");
        var result = Charrnn.Run("train", Path.Combine(_folder, "book.txt"), "--resume", Path.Combine(Out, "step-0000005.safetensors"), "--max-steps", "12");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("resuming from", result.Stdout);
        Assert.Contains("Stopped at step 12 (--max-steps)", result.Stdout);
        Assert.True(File.Exists(Path.Combine(Out, "step-0000012.safetensors")));
    }

    [Fact]
    public void Ctrl_c_saves_a_checkpoint_and_stops()
    {
        // Should it crash (it exited 134, an abort, in 3 of about 60 runs in earlier sessions, never since), .NET writes a
        // dump under the test output's dumps/ folder, which outlives the test.
        var dumps = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dumps")).FullName;
        var dump = Path.Combine(dumps, "charrnn-%p.dmp");
        // A test run started as a background job (nohup …, a script's `&`) passes SIGINT on ignored, and charrnn keeps it
        // so, as a person's background job would: `env --default-signal=INT` gives it Ctrl+C as a terminal would.
        using var process = Charrnn.Start(null, new Dictionary<string, string> { ["DOTNET_DbgEnableMiniDump"] = "1", ["DOTNET_DbgMiniDumpName"] = dump },
            ["train", Book(string.Concat(Enumerable.Repeat(Verse, 50))), .. SmallRun, "--epochs", "10000", "--eval-every", "100000", "--out", Out], signals: "--default-signal=INT");
        var stdout = new StringBuilder();
        var started = new ManualResetEventSlim();
        // The first progress line comes from the first step, once the Ctrl+C handler is in place: a signal sent after the
        // "Training:" line but before the handler (a CI machine busy with other test projects) would end the process unsaved.
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); if (e.Data?.Contains(" step 1/") == true) started.Set(); };
        var stderr = process.StandardError.ReadToEndAsync(); // drained as it comes, so a full pipe never holds the process
        process.BeginOutputReadLine();
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "training did not start");

        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();

        string Printed() { lock (stdout) return $"stdout: {stdout}\nstderr: {(stderr.IsCompleted ? stderr.Result : "(still open)")}"; }
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            var threads = ConsoleProgram.NativeStacks(process.Id);
            process.Kill();
            Assert.Fail($"charrnn did not stop within a minute of Ctrl+C. Its threads:\n{threads}\n{Printed()}");
        }
        process.WaitForExit(); // with a timeout it does not wait for the redirected output's last lines; without, it does
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}; dump: {(File.Exists(dump.Replace("%p", process.Id.ToString())) ? dump.Replace("%p", process.Id.ToString()) : "none")}; {Printed()}");
        Assert.Matches(@"Stopped at step \d+; resume with --resume", Printed());
        Assert.NotEmpty(Directory.GetFiles(Out, "step-*.safetensors"));
    }

    [Fact]
    public async Task Started_with_ctrl_c_ignored_it_says_how_to_stop_and_kill_saves_a_checkpoint_and_stops()
    {
        using var process = Charrnn.Start(null, new Dictionary<string, string>(),
            ["train", Book(string.Concat(Enumerable.Repeat(Verse, 50))), .. SmallRun, "--epochs", "10000", "--eval-every", "100000", "--out", Out], signals: "--ignore-signal=INT");
        var stdout = new StringBuilder();
        var started = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); if (e.Data?.Contains(" step 1/") == true) started.Set(); };
        var stderr = process.StandardError.ReadToEndAsync();
        process.BeginOutputReadLine();
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "training did not start");

        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();

        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) { process.Kill(); Assert.Fail("charrnn did not stop within a minute of SIGTERM"); }
        process.WaitForExit();
        string text;
        lock (stdout) text = stdout.ToString();
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}; stderr: {await stderr}; stdout: {text}");
        Assert.Contains($"Ctrl+C is ignored: charrnn was started with SIGINT ignored (as a shell starts a background job). Stop it with kill {process.Id}, which also saves a checkpoint.", text);
        Assert.Matches(@"Stopped at step \d+; resume with --resume", text);
        Assert.NotEmpty(Directory.GetFiles(Out, "step-*.safetensors"));
    }
}
