using CharRnn.Training;
using CharRnn.Web.Apis;
using CharRnn.Web.Services;

namespace CharRnn.Web.Components.Pages;

/// <summary>The New run page's state: presets, the options being edited, what is wrong with them, and what they will cost.</summary>
public sealed class NewRunForm
{
    /// <summary>The notebook's settings.</summary>
    public static readonly TrainingOptions Notebook = new();

    /// <summary>A smaller model that trains a book of anna.txt's size in about ten minutes on a 2-core server.</summary>
    public static readonly TrainingOptions QuickCpu = new()
    {
        Hidden = 256, Layers = 2, Dropout = 0.3, LearningRate = 0.002, BatchSize = 64, SequenceLength = 100,
        Epochs = 2, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = 25,
    };

    /// <summary>
    /// Multiply-accumulates a second this server's CPU training sustains (forward and backward), measured
    /// with the notebook's model on a 2-core AVX2 server: 5,000 characters/s × 3.4 M per character.
    /// </summary>
    public const double CpuMacsPerSecond = 1.7e10;

    public string? Name { get; set; }
    public int Hidden { get; set; } = Notebook.Hidden;
    public int Layers { get; set; } = Notebook.Layers;
    public double Dropout { get; set; } = Notebook.Dropout;
    public double LearningRate { get; set; } = Notebook.LearningRate;
    public int BatchSize { get; set; } = Notebook.BatchSize;
    public int SequenceLength { get; set; } = Notebook.SequenceLength;
    public int Epochs { get; set; } = Notebook.Epochs;
    public double GradientClip { get; set; } = Notebook.GradientClip;
    public double ValidationFraction { get; set; } = Notebook.ValidationFraction;
    public int EvaluateEvery { get; set; } = Notebook.EvaluateEvery;
    public int? Seed { get; set; }
    public string Device { get; set; } = "auto";

    public void Apply(TrainingOptions preset)
    {
        (Hidden, Layers, Dropout, LearningRate) = (preset.Hidden, preset.Layers, preset.Dropout, preset.LearningRate);
        (BatchSize, SequenceLength, Epochs, GradientClip) = (preset.BatchSize, preset.SequenceLength, preset.Epochs, preset.GradientClip);
        (ValidationFraction, EvaluateEvery) = (preset.ValidationFraction, preset.EvaluateEvery);
    }

    public TrainingOptions Options => new()
    {
        Hidden = Hidden, Layers = Layers, Dropout = Dropout, LearningRate = LearningRate, BatchSize = BatchSize,
        SequenceLength = SequenceLength, Epochs = Epochs, GradientClip = GradientClip, ValidationFraction = ValidationFraction,
        EvaluateEvery = EvaluateEvery, Seed = Seed, Device = Device,
    };

    public CreateRunRequest Request(int bookId) => new(bookId, Name, Hidden, Layers, Dropout, LearningRate, BatchSize, SequenceLength,
        Epochs, GradientClip, ValidationFraction, EvaluateEvery, Seed, Device);

    public IReadOnlyList<string> Problems(BookDto? book) =>
        book is null ? ["Choose a book."] : RunService.Validate(Options, book.Characters);

    public long TotalSteps(BookDto book) => Options.TotalSteps(book.Characters);

    /// <summary>The training rate the estimate uses: <see cref="CpuMacsPerSecond"/> until a run on this server has measured one.</summary>
    public double MacsPerSecond { get; private set; } = CpuMacsPerSecond;

    /// <summary>Where <see cref="MacsPerSecond"/> comes from, for the page.</summary>
    public string EstimateBasis { get; private set; } = "a 2-core reference server";

    /// <summary>Uses a finished or running run's mean speed on this server for the estimate.</summary>
    public void Calibrate(TrainingOptions options, int alphabetSize, double charsPerSecond, string runName)
    {
        MacsPerSecond = charsPerSecond * MacsPerCharacter(options.Hidden, options.Layers, alphabetSize);
        EstimateBasis = $"the speed of “{runName}”";
    }

    /// <summary>Forward multiply-accumulates per character: every LSTM layer's gates and the output layer.</summary>
    public static long MacsPerCharacter(int hidden, int layers, int vocabularySize)
    {
        long macs = (long)vocabularySize * hidden;
        for (var layer = 0; layer < layers; layer++) macs += 4L * hidden * ((layer == 0 ? vocabularySize : hidden) + hidden);
        return macs;
    }

    /// <summary>About how long the run takes on this server's CPU, assuming the same work per multiply-accumulate as the calibration.</summary>
    public TimeSpan EstimatedDuration(BookDto book)
    {
        var characters = (double)TotalSteps(book) * BatchSize * SequenceLength;
        return TimeSpan.FromSeconds(characters * MacsPerCharacter(Hidden, Layers, book.AlphabetSize) / MacsPerSecond);
    }
}
