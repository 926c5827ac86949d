using CharRnn.Training;
using CharRnn.Web.Contracts;
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

    public string? Name { get; set; }
    public int Hidden { get; set; } = Notebook.Hidden;
    public int Layers { get; set; } = Notebook.Layers;
    public double Dropout { get; set; } = Notebook.Dropout;
    public double LearningRate { get; set; } = Notebook.LearningRate;
    public ScheduleKind Schedule { get; set; } = Notebook.Schedule;
    public int WarmupSteps { get; set; } = Notebook.WarmupSteps;
    public double MinLearningRate { get; set; } = Notebook.MinLearningRate;
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
        (Schedule, WarmupSteps, MinLearningRate) = (preset.Schedule, preset.WarmupSteps, preset.MinLearningRate);
    }

    public TrainingOptions Options => new()
    {
        Hidden = Hidden, Layers = Layers, Dropout = Dropout, LearningRate = LearningRate, BatchSize = BatchSize,
        SequenceLength = SequenceLength, Epochs = Epochs, GradientClip = GradientClip, ValidationFraction = ValidationFraction,
        EvaluateEvery = EvaluateEvery, Seed = Seed, Device = Device, Schedule = Schedule, WarmupSteps = WarmupSteps, MinLearningRate = MinLearningRate,
    };

    public CreateRunRequest Request(int bookId) => new(bookId, Name, Hidden, Layers, Dropout, LearningRate, BatchSize, SequenceLength,
        Epochs, GradientClip, ValidationFraction, EvaluateEvery, Seed, Device, Schedule, WarmupSteps, MinLearningRate);

    public IReadOnlyList<string> Problems(BookDto? book, StudioLimits limits) =>
        book is null ? ["Choose a book."] : RunService.Validate(Options, book.Characters, book.AlphabetSize, limits);

    public long TotalSteps(BookDto book) => Options.TotalSteps(book.Characters);
}
