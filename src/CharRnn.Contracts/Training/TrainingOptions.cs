using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// A training run's recipe. The defaults are the PyTorch notebook's. Each option is described once, by its
/// <see cref="OptionAttribute"/>: that description makes the New run form's field, <c>charrnn train</c>'s flag, the API
/// request's field, the comparison's row and the run page's line, and checks its bounds (<see cref="TrainingOption"/>).
/// A new option is a property here with its attribute, and its use in the trainer.
/// </summary>
public sealed record TrainingOptions
{
    [Option("Hidden units", "Units in each LSTM layer.", "--hidden", Min = 1, Max = 4096)]
    public int Hidden { get; init; } = 512;

    [Option("Layers", "Stacked LSTM layers.", "--layers", Min = 1, Max = 8)]
    public int Layers { get; init; } = 2;

    [Option("Dropout", "Dropout between LSTM layers and before the output layer.", "--dropout", Min = 0, Max = 1, MaxExclusive = true, Step = 0.05)]
    public double Dropout { get; init; } = 0.5;

    [Option("Learning rate", "Adam's learning rate: the rate at every step with the constant schedule, the peak with the others.", "--lr",
        Min = 0, MinExclusive = true, Max = 1, Step = 0.0005)]
    public double LearningRate { get; init; } = 0.001;

    [Option("Learning-rate schedule", "constant (the notebook's), cosine or linear: a warm-up to the learning rate, then a decay to the final rate at the run's last step.", "--schedule")]
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    [Option("Warm-up steps", "Steps over which the rate rises linearly to its peak, with cosine or linear.", "--warmup-steps", Min = 0, ShownWhen = nameof(Decays))]
    public int WarmupSteps { get; init; }

    [Option("Final learning rate", "The rate cosine or linear reach at the run's last step.", "--min-lr", Step = 0.0001, ShownWhen = nameof(Decays))]
    public double MinLearningRate { get; init; } = 0.0001;

    [Option("Batch size", "Sequences per batch (rows of the reshaped text).", "--batch-size", Min = 1)]
    public int BatchSize { get; init; } = 128;

    [Option("Sequence length", "Characters per sequence (columns of one window).", "--seq-length", Min = 1)]
    public int SequenceLength { get; init; } = 100;

    [Option("Epochs", "Passes over the text.", "--epochs", Min = 1, Max = 10_000)]
    public int Epochs { get; init; } = 20;

    [Option("Gradient clip", "Largest gradient norm; larger gradients are scaled down to it.", "--clip", Min = 0, MinExclusive = true)]
    public double GradientClip { get; init; } = 5;

    [Option("Validation fraction", "The last share of the text, held out to measure validation loss.", "--val-frac",
        Min = 0, MinExclusive = true, Max = 1, MaxExclusive = true, Step = 0.05)]
    public double ValidationFraction { get; init; } = 0.1;

    [Option("Evaluate every (steps)", "Steps between evaluations (validation loss, a sample and a checkpoint).", "--eval-every", Min = 1)]
    public int EvaluateEvery { get; init; } = 10;

    /// <remarks>
    /// A fixed subset chosen by the seed (<c>ValidationSubset</c>), a cheaper estimate. Null reads the whole split every
    /// time (the notebook's). Epoch ends and the last step always read the whole split, and only those figures choose the
    /// best checkpoint.
    /// </remarks>
    [Option("Validation batches between epoch ends", "Validation batches that evaluations between epoch ends read, a fixed subset chosen by the seed. Empty or 0: the whole split every time. Epoch ends always read all of it.",
        "--eval-batches", Min = 1, ZeroMeansEmpty = true)]
    public int? EvaluationBatches { get; init; }

    [Option("Seed", "Makes weights, dropout and samples repeatable. Empty: a random seed, which is then recorded.", "--seed", SetByPresets = false)]
    public int? Seed { get; init; }

    [Option("CPU threads", "libtorch's CPU threads. Empty: the server's CharRnn:TrainingThreads (all cores but one), or every core for charrnn train.", "--threads", Min = 1, SetByPresets = false)]
    public int? Threads { get; init; }

    [Option("Stop after (steps)", "Stop after this many steps in all, with a checkpoint; resuming continues on the same schedule. Empty: every epoch.", "--max-steps", Min = 1, SetByPresets = false)]
    public long? MaxSteps { get; init; }

    [Option("Device", "auto (a GPU where the machine that trains has one, else the CPU), cpu or cuda.", "--device", SetByPresets = false)]
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    [Option("Precision", "float32 (the notebook's); bfloat16: forward and backward through a bfloat16 copy of the LSTM, while the weights, Adam's state, the output layer, the loss and the checkpoints stay float32; auto: bfloat16 where the processor computes in it natively (AVX512_BF16 or AMX, a GPU since Ampere), else float32.", "--precision")]
    public PrecisionChoice Precision { get; init; } = PrecisionChoice.Float32;

    [Option("Fine-tune from", "A checkpoint's id: the run starts from its weights and shape, its alphabet grown by the book's new characters, with a fresh optimizer. Empty: from random weights.",
        "--init-from", Min = 1, SetByPresets = false, CommandLine = false)]
    public int? InitFrom { get; init; }

    /// <summary>The largest batch this library builds (batch × sequence characters, each a 64-bit token id twice).</summary>
    public const long MaxBatchCharacters = 1 << 24;

    /// <summary>True when the rate warms up and decays: the warm-up and the final rate mean something only then.</summary>
    [JsonIgnore]
    public bool Decays => Schedule != ScheduleKind.Constant;

    /// <summary>What is wrong with these options for a text of <paramref name="textLength"/> characters; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems(int textLength)
    {
        var problems = TrainingOption.All.Select(option => option.Problem(this)).OfType<string>().ToList();
        if (Decays && !(MinLearningRate >= 0 && MinLearningRate <= LearningRate))
            problems.Add($"The final learning rate must be between 0 and the peak ({LearningRate}); it was {MinLearningRate}.");
        // Multiplied in 64 bits: 65,536 × 65,536 wraps a 32-bit int to 0.
        if ((long)BatchSize * SequenceLength > MaxBatchCharacters)
            problems.Add($"Batch size × sequence length must be at most {MaxBatchCharacters:N0} characters; it was {(long)BatchSize * SequenceLength:N0}.");
        if (problems.Count == 0) CheckLength(textLength, problems);
        return problems;
    }

    /// <summary>Training and validation parts must each hold at least one batch; say which sizes would fit.</summary>
    private void CheckLength(int textLength, List<string> problems)
    {
        var trainLength = TrainingCharacters(textLength);
        var validationLength = textLength - trainLength;
        var batchChars = (long)BatchSize * SequenceLength;
        var shortest = Math.Min(trainLength, validationLength);
        if (shortest >= batchChars) return;
        var part = validationLength < trainLength ? $"its validation part ({ValidationFraction:P0}) is {validationLength:N0}" : $"its training part is {trainLength:N0}";
        var fits = new List<string>();
        if (shortest / SequenceLength >= 1) fits.Add($"batch size {shortest / SequenceLength} or less with sequence length {SequenceLength}");
        if (shortest / BatchSize >= 1) fits.Add($"sequence length {shortest / BatchSize} or less with batch size {BatchSize}");
        var advice = fits.Count > 0 ? $"These would fit: {string.Join("; ", fits)}." : "Use a longer text.";
        problems.Add($"The text is too short for one batch: one batch is {BatchSize} × {SequenceLength} = {batchChars:N0} characters, "
            + $"but {part} characters. {advice}");
    }

    /// <summary>
    /// The notebook's split, written once: the first (1 − <see cref="ValidationFraction"/>) of a text's characters train,
    /// the rest validate. Bits per character on "held-out" text start where this ends.
    /// </summary>
    public int TrainingCharacters(int textLength) => (int)(textLength * (1 - ValidationFraction));

    /// <summary>Batches in one pass over <paramref name="characters"/> tokens (0 when the text is shorter than one batch): the notebook's <c>get_batches</c> count.</summary>
    public static int Batches(int characters, int batchSize, int sequenceLength) => (int)(characters / ((long)batchSize * sequenceLength));

    public int StepsPerEpoch(int textLength) => Batches(TrainingCharacters(textLength), BatchSize, SequenceLength);

    /// <summary>Validation batches in one evaluation of the whole validation split.</summary>
    public int ValidationBatches(int textLength) => Batches(textLength - TrainingCharacters(textLength), BatchSize, SequenceLength);

    /// <summary>Steps in the whole run: every epoch, or <see cref="MaxSteps"/> when that comes first.</summary>
    public long TotalSteps(int textLength) => Math.Min((long)StepsPerEpoch(textLength) * Epochs, MaxSteps ?? long.MaxValue);
}
