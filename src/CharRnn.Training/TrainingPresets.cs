namespace CharRnn.Training;

/// <summary>
/// Named starting points for a run, shared by the New run page, <c>charrnn train --preset</c> and the API's
/// <c>preset</c> field. Fields a person sets override the preset's.
/// </summary>
public static class TrainingPresets
{
    /// <summary>The PyTorch notebook's recipe, unchanged: constant rate 0.001, the whole validation split every 10 steps.</summary>
    public static readonly TrainingOptions Notebook = new();

    /// <summary>A smaller model that trains a book of anna.txt's size in about ten minutes on a 2-core server.</summary>
    public static readonly TrainingOptions QuickCpu = new()
    {
        Hidden = 256, Layers = 2, Dropout = 0.3, LearningRate = 0.002, BatchSize = 64, SequenceLength = 100,
        Epochs = 2, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = 25,
    };

    /// <summary>
    /// The notebook's model (2×512, dropout 0.5, batch 128 × 100, so its checkpoints stay notebook-compatible)
    /// trained to the notebook's quality sooner: a higher peak rate with a short warm-up and a cosine decay, and
    /// cheap estimates between epoch ends. The figures that chose it are in docs/benchmarks.md ("Fast to quality").
    /// </summary>
    public static readonly TrainingOptions Fast = Notebook with
    {
        LearningRate = 0.006, Schedule = ScheduleKind.Cosine, WarmupSteps = 50, MinLearningRate = 0.0001,
        Epochs = 24, EvaluateEvery = 25, EvaluationBatches = 3,
    };

    /// <summary>Preset names as the CLI and the API spell them.</summary>
    public static readonly IReadOnlyDictionary<string, TrainingOptions> ByName = new Dictionary<string, TrainingOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["notebook"] = Notebook,
        ["quick"] = QuickCpu,
        ["fast"] = Fast,
    };

    /// <summary>The preset called <paramref name="name"/>, or an error that lists the names.</summary>
    public static TrainingOptions Named(string name) =>
        ByName.TryGetValue(name, out var preset) ? preset
            : throw new ArgumentException($"There is no preset '{name}'; the presets are {string.Join(", ", ByName.Keys)}.");
}
