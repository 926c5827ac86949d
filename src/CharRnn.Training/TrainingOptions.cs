namespace CharRnn.Training;

/// <summary>A training run's settings. The defaults are the PyTorch notebook's.</summary>
public sealed record TrainingOptions
{
    /// <summary>Units in each LSTM layer.</summary>
    public int Hidden { get; init; } = 512;
    /// <summary>Stacked LSTM layers.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Dropout between LSTM layers and before the output layer.</summary>
    public double Dropout { get; init; } = 0.5;
    /// <summary>Adam's learning rate: the rate at every step with the constant schedule, the peak with the others.</summary>
    public double LearningRate { get; init; } = 0.001;
    /// <summary>How the rate moves over the run (<see cref="LearningRateSchedule"/>); constant is the notebook's.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;
    /// <summary>Steps over which the rate rises linearly to its peak, with a decaying schedule.</summary>
    public int WarmupSteps { get; init; }
    /// <summary>The rate a decaying schedule reaches at the run's last step.</summary>
    public double MinLearningRate { get; init; } = 0.0001;
    /// <summary>Sequences per batch (rows of the reshaped text).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Characters per sequence (columns of one window).</summary>
    public int SequenceLength { get; init; } = 100;
    public int Epochs { get; init; } = 20;
    /// <summary>Largest gradient norm; larger gradients are scaled down to it.</summary>
    public double GradientClip { get; init; } = 5;
    /// <summary>The last share of the text, held out to measure validation loss.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Steps between evaluations (validation loss, a sample and a checkpoint).</summary>
    public int EvaluateEvery { get; init; } = 10;
    /// <summary>
    /// Validation batches read by the evaluations between epoch ends: a fixed subset chosen by the seed
    /// (<see cref="ValidationSubset"/>), a cheaper estimate. Null reads the whole split every time (the notebook's).
    /// Epoch ends and the last step always read the whole split, and only those figures choose the best checkpoint.
    /// </summary>
    public int? EvaluationBatches { get; init; }
    /// <summary>Makes weights, dropout and samples repeatable; null picks one, which is then recorded.</summary>
    public int? Seed { get; init; }
    /// <summary>libtorch's CPU threads; null for one per core.</summary>
    public int? Threads { get; init; }
    /// <summary>Stop after this many steps in all (a checkpoint is saved), or null to run every epoch.</summary>
    public long? MaxSteps { get; init; }
    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The largest batch this library builds (batch × sequence characters, each a 64-bit token id twice).</summary>
    public const long MaxBatchCharacters = 1 << 24;

    /// <summary>What is wrong with these options for a text of <paramref name="textLength"/> characters; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems(int textLength)
    {
        var problems = new List<string>();
        void Check(bool ok, string message) { if (!ok) problems.Add(message); }
        Check(Hidden is >= 1 and <= 4096, $"Hidden size must be between 1 and 4096; it was {Hidden}.");
        Check(Layers is >= 1 and <= 8, $"Layers must be between 1 and 8; it was {Layers}.");
        Check(Dropout is >= 0 and < 1, $"Dropout must be at least 0 and below 1; it was {Dropout}.");
        Check(LearningRate is > 0 and <= 1, $"Learning rate must be above 0 and at most 1; it was {LearningRate}.");
        Check(WarmupSteps >= 0, $"Warm-up steps must be at least 0; it was {WarmupSteps}.");
        Check(Schedule == ScheduleKind.Constant || MinLearningRate is >= 0 && MinLearningRate <= LearningRate,
            $"The final learning rate must be between 0 and the peak ({LearningRate}); it was {MinLearningRate}.");
        Check(BatchSize >= 1, $"Batch size must be at least 1; it was {BatchSize}.");
        Check(SequenceLength >= 1, $"Sequence length must be at least 1; it was {SequenceLength}.");
        // Multiplied in 64 bits: 65,536 × 65,536 wraps a 32-bit int to 0.
        Check((long)BatchSize * SequenceLength <= MaxBatchCharacters,
            $"Batch size × sequence length must be at most {MaxBatchCharacters:N0} characters; it was {(long)BatchSize * SequenceLength:N0}.");
        Check(Epochs is >= 1 and <= 10_000, $"Epochs must be between 1 and 10,000; it was {Epochs}.");
        Check(GradientClip > 0, $"Gradient clip must be above 0; it was {GradientClip}.");
        Check(ValidationFraction is > 0 and < 1, $"Validation fraction must be above 0 and below 1; it was {ValidationFraction}.");
        Check(EvaluateEvery >= 1, $"Evaluate-every must be at least 1 step; it was {EvaluateEvery}.");
        Check(EvaluationBatches is null or >= 1, $"Validation batches between epoch ends must be at least 1 (or empty for the whole split); it was {EvaluationBatches}.");
        Check(Threads is null or >= 1, $"Threads must be at least 1; it was {Threads}.");
        Check(MaxSteps is null or >= 1, $"Max steps must be at least 1; it was {MaxSteps}.");
        Check(Device is "auto" or "cpu" or "cuda", $"Device must be auto, cpu or cuda; it was '{Device}'.");
        if (problems.Count == 0) CheckLength(textLength, problems);
        return problems;
    }

    /// <summary>Training and validation parts must each hold at least one batch; say which sizes would fit.</summary>
    private void CheckLength(int textLength, List<string> problems)
    {
        var trainLength = (int)(textLength * (1 - ValidationFraction));
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

    public int StepsPerEpoch(int textLength) =>
        CharBatches.Count((int)(textLength * (1 - ValidationFraction)), BatchSize, SequenceLength);

    /// <summary>Steps in the whole run: every epoch, or <see cref="MaxSteps"/> when that comes first.</summary>
    public long TotalSteps(int textLength) => Math.Min((long)StepsPerEpoch(textLength) * Epochs, MaxSteps ?? long.MaxValue);
}
