using CharRnn.Training;
using CharRnn.Web.Contracts;
using CharRnn.Web.Services;

namespace CharRnn.Web.Components.Pages;

/// <summary>The New run page's state: presets, the options being edited, what is wrong with them, and what they will cost.</summary>
public sealed class NewRunForm
{
    private static readonly TrainingOptions Notebook = TrainingPresets.Notebook;

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
    public int? EvaluationBatches { get; set; } = Notebook.EvaluationBatches;
    public int? Seed { get; set; }
    public string Device { get; set; } = "auto";

    public void Apply(TrainingOptions preset)
    {
        (Hidden, Layers, Dropout, LearningRate) = (preset.Hidden, preset.Layers, preset.Dropout, preset.LearningRate);
        (BatchSize, SequenceLength, Epochs, GradientClip) = (preset.BatchSize, preset.SequenceLength, preset.Epochs, preset.GradientClip);
        (ValidationFraction, EvaluateEvery, EvaluationBatches) = (preset.ValidationFraction, preset.EvaluateEvery, preset.EvaluationBatches);
        (Schedule, WarmupSteps, MinLearningRate) = (preset.Schedule, preset.WarmupSteps, preset.MinLearningRate);
    }

    public TrainingOptions Options => new()
    {
        Hidden = Hidden, Layers = Layers, Dropout = Dropout, LearningRate = LearningRate, BatchSize = BatchSize,
        SequenceLength = SequenceLength, Epochs = Epochs, GradientClip = GradientClip, ValidationFraction = ValidationFraction,
        EvaluateEvery = EvaluateEvery, Seed = Seed, Device = Device, Schedule = Schedule, WarmupSteps = WarmupSteps, MinLearningRate = MinLearningRate,
        EvaluationBatches = EvaluationBatches,
    };

    public CreateRunRequest Request(int bookId) => new(bookId, Name, Hidden, Layers, Dropout, LearningRate, BatchSize, SequenceLength,
        Epochs, GradientClip, ValidationFraction, EvaluateEvery, Seed, Device, Schedule, WarmupSteps, MinLearningRate, EvaluationBatches);

    public IReadOnlyList<string> Problems(BookDto? book, StudioLimits limits) =>
        book is null ? ["Choose a book."] : RunService.Validate(Options, book.Characters, book.AlphabetSize, limits);

    public long TotalSteps(BookDto book) => Options.TotalSteps(book.Characters);
}
