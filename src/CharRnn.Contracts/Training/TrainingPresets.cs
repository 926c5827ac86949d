namespace CharRnn.Contracts;

/// <summary>A named starting point for a run: its key as the API and the command line spell it, its name and a line for people.</summary>
public sealed record TrainingPreset(string Key, string Name, string Description, TrainingOptions Options);

/// <summary>
/// The presets, written once for the New run page, <c>charrnn train --preset</c>, the API's <c>preset</c> field and the
/// benches. Fields a person sets override the preset's.
/// </summary>
public static class TrainingPresets
{
    /// <summary>The PyTorch notebook's recipe, unchanged: constant rate 0.001, the whole validation split every 10 steps.</summary>
    public static readonly TrainingPreset Notebook = new("notebook", "Notebook",
        "The PyTorch notebook's recipe: 2×512, dropout 0.5, batch 128 × 100, lr 0.001, 20 epochs, the whole validation split every 10 steps.",
        new TrainingOptions());

    /// <summary>
    /// The notebook's model (2×512, so its checkpoints load in the notebook; the batch, the sequence length and the
    /// dropout are how it is trained, not what a checkpoint holds) trained to the notebook's quality in about ten
    /// minutes: short sequences in small batches (32 × 50, eight times the updates of 128 × 100 for the same
    /// characters), a 50-step warm-up to 0.008 and a cosine to 0.0001 over four epochs, dropout 0.2, cheap estimates
    /// between epoch ends, and bfloat16 where the processor computes in it natively. The figures that chose it are in
    /// docs/benchmarks.md ("Fast to quality: shorter sequences", "bfloat16 that trains").
    /// </summary>
    public static readonly TrainingPreset Fast = new("fast", "Fast to quality",
        "The notebook's model, to its quality in about ten minutes: batch 32 × 50, a warm-up and cosine from 0.008 over four epochs, dropout 0.2, bfloat16 where the processor has it.",
        Notebook.Options with
        {
            Dropout = 0.2, LearningRate = 0.008, Schedule = ScheduleKind.Cosine, WarmupSteps = 50, MinLearningRate = 0.0001,
            BatchSize = 32, SequenceLength = 50, Epochs = 4, EvaluateEvery = 400, EvaluationBatches = 3, Precision = PrecisionChoice.Auto,
        });

    /// <summary>
    /// The notebook's model and batch (2×512, dropout 0.5, 128 × 100) trained for the best model in about an hour: a
    /// 50-step warm-up to 0.006 and a cosine to 0.0001 over 24 epochs, which passes the notebook's 1.30 at about half
    /// an hour and 1.25 at 45–55 minutes, where the short recipe of <see cref="Fast"/> flattens near 1.27. It was the
    /// Fast preset before that; docs/benchmarks.md ("Fast to quality") has its figures.
    /// </summary>
    public static readonly TrainingPreset Hour = new("hour", "Best in an hour",
        "The notebook's model and batch, for the best model in about an hour: a warm-up and cosine from 0.006 over 24 epochs, cheap estimates between epoch ends, bfloat16 where the processor has it.",
        Notebook.Options with
        {
            LearningRate = 0.006, Schedule = ScheduleKind.Cosine, WarmupSteps = 50, MinLearningRate = 0.0001,
            Epochs = 24, EvaluateEvery = 25, EvaluationBatches = 3, Precision = PrecisionChoice.Auto,
        });

    /// <summary>
    /// A smaller model whose first run on a 1 MB book reads like the book within minutes on a 2-core server: small
    /// batches (16 × 64) for many updates, a high peak (0.013) with a short warm-up and a cosine over four epochs, and
    /// no dropout. It is the best trial of the product's own sweep around the earlier recipe (batch 32, peak 0.01,
    /// dropout 0.1): 1.26 against 1.36 on the first megabyte of Anna Karenina, in about the same minutes, since the
    /// smaller batches run nearly as many characters a second. docs/benchmarks.md has the search ("Quick CPU: the
    /// search"), the sweep ("Sweeps") and the two one after the other ("Quick CPU follows its sweep").
    /// </summary>
    public static readonly TrainingPreset Quick = new("quick", "Quick CPU",
        "A smaller model (2×256, batch 16 × 64, a warm-up and cosine from 0.013, no dropout) for a first look: four epochs, minutes on a 2-core server.",
        new TrainingOptions
        {
            Hidden = 256, Layers = 2, Dropout = 0, LearningRate = 0.013, Schedule = ScheduleKind.Cosine, WarmupSteps = 20, MinLearningRate = 0.0002,
            BatchSize = 16, SequenceLength = 64, Epochs = 4, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = 100, EvaluationBatches = 3,
            Precision = PrecisionChoice.Auto,
        });

    /// <summary>
    /// A checkpoint continued on another book (<see cref="TrainingOptions.InitFrom"/>, which it needs; the shape is the
    /// checkpoint's): batch 32 × 64 and dropout 0.1 (the Quick CPU preset's when it was measured), a short warm-up and
    /// a cosine over two epochs from 0.006, below Quick CPU's 0.01 of the time. In the search (Quick CPU's Anna Karenina model fine-tuned on verse, docs/benchmarks.md, "Fine-tune
    /// preset: the search"), every higher peak gave a lower loss on the new book and a higher one on the old; 0.006 is
    /// the highest at which a step up still gained the new book about as much as it cost the old (0.006 to 0.01 gained
    /// 0.02 and forgot 0.04 more).
    /// </summary>
    public static readonly TrainingPreset FineTune = new("finetune", "Fine-tune",
        "Continue a checkpoint on another book (its shape, with its alphabet grown): batch 32 × 64, a warm-up and cosine from 0.006 over two epochs.",
        Quick.Options with { BatchSize = 32, Dropout = 0.1, LearningRate = 0.006, WarmupSteps = 10, MinLearningRate = 0.0001, Epochs = 2, EvaluateEvery = 50 });

    /// <summary>In the order the New run page offers them.</summary>
    public static readonly IReadOnlyList<TrainingPreset> All = [Notebook, Fast, Hour, Quick, FineTune];

    /// <summary>Why a run cannot train as <paramref name="preset"/> asks (the Fine-tune preset without a checkpoint to start from), or null.</summary>
    public static string? Problem(TrainingPreset preset, bool startsFromCheckpoint) => preset == FineTune && !startsFromCheckpoint
        ? "The Fine-tune preset continues a checkpoint: give the checkpoint to start from (initFrom, or --init-from), or choose another preset."
        : null;

    /// <summary>The preset whose key is <paramref name="key"/> (any case), or null.</summary>
    public static TrainingPreset? Find(string key) => All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset a request names (any case), the Notebook's when it names none; or why there is no such preset.</summary>
    public static (TrainingPreset? Preset, string? Problem) Requested(string? key) =>
        key is null ? (Notebook, null) : Find(key) is { } preset ? (preset, null) : (null, Unknown(key));

    /// <summary>Why there is no preset <paramref name="key"/>, listing the keys.</summary>
    public static string Unknown(string key) => $"There is no preset '{key}'; the presets are {string.Join(", ", All.Select(p => p.Key))}.";

    /// <summary>The preset called <paramref name="key"/>, or an error that lists the keys.</summary>
    public static TrainingPreset Named(string key) => Find(key) ?? throw new ArgumentException(Unknown(key));
}
