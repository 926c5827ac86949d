using CharRnn.Web.Features.Runs;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The New run page's state: the book, a name, and the options being edited, each set through its description
/// (<see cref="TrainingOption"/>), so the form has a field for every option there is.
/// </summary>
public sealed class NewRunForm(RunRules rules)
{
    public int BookId { get; set; }
    public string? Name { get; set; }
    public TrainingOptions Options { get; private set; } = TrainingPresets.Notebook.Options;

    /// <summary>
    /// Fills the form with a preset's recipe. What says how or where to run rather than what to train (the seed, the
    /// threads, a step limit, the device: <see cref="TrainingOption.SetByPresets"/>) stays as the person set it, as do
    /// the name and the book.
    /// </summary>
    /// <remarks>A fine-tune keeps its checkpoint's shape whatever the preset's model.</remarks>
    public void Apply(TrainingPreset preset)
    {
        var shape = (Options.Layers, Options.Hidden);
        Options = TrainingOption.All.Where(o => !o.SetByPresets).Aggregate(preset.Options, (options, option) => option.With(options, option.Get(Options)));
        if (Options.InitFrom is not null) Options = Options with { Layers = shape.Layers, Hidden = shape.Hidden };
    }

    /// <summary>The presets offered: the Fine-tune preset only with a checkpoint to start from.</summary>
    public IEnumerable<TrainingPreset> Presets => TrainingPresets.All.Where(p => TrainingPresets.Problem(p, Options.InitFrom is not null) is null);

    public void Set(TrainingOption option, object? value) => Options = option.With(Options, value);

    /// <summary>A fine-tune of checkpoint <paramref name="id"/>, with its shape (which a fine-tune keeps), on the Fine-tune preset's recipe.</summary>
    public void FineTune(int id, (int Layers, int Hidden) shape)
    {
        Options = Options with { InitFrom = id, Layers = shape.Layers, Hidden = shape.Hidden };
        Apply(TrainingPresets.FineTune);
    }

    /// <summary>The options shown as fields: those that mean something with the others as they stand.</summary>
    public IEnumerable<TrainingOption> Fields => TrainingOption.All.Where(o => o.AppliesTo(Options));

    public CreateRunRequest Request() => CreateRunRequest.For(BookId, Options, Name);

    public IReadOnlyList<string> Problems(BookDto? book) =>
        book is null ? ["Choose a book."] : rules.Problems(Options, book.Characters, book.AlphabetSize);
}
