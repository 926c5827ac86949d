namespace CharRnn.Contracts;

/// <summary>
/// Describes one training option for people and for every surface that shows or takes it: a label for forms and tables,
/// a sentence of help, the command line's flag, and the bounds a value must keep (checked by
/// <see cref="TrainingOptions.Problems"/>, offered as the form field's minimum and maximum).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string label, string help, string flag) : Attribute
{
    public string Label { get; } = label;
    public string Help { get; } = help;
    /// <summary><c>charrnn train</c>'s flag, such as <c>--lr</c>.</summary>
    public string Flag { get; } = flag;

    /// <summary>The lowest value allowed (NaN: no bound); above it only, with <see cref="MinExclusive"/>.</summary>
    public double Min { get; init; } = double.NaN;
    public bool MinExclusive { get; init; }
    /// <summary>The highest value allowed (NaN: no bound); below it only, with <see cref="MaxExclusive"/>.</summary>
    public double Max { get; init; } = double.NaN;
    public bool MaxExclusive { get; init; }
    /// <summary>How far a form's arrows move the value (NaN: 1 for whole numbers).</summary>
    public double Step { get; init; } = double.NaN;

    /// <summary>A bool property of <see cref="TrainingOptions"/>: the option means something only while it is true (the form hides it otherwise).</summary>
    public string? ShownWhen { get; init; }

    /// <summary>For an optional number: 0, written on a command line or in a request, asks for empty (it overrides a preset's value).</summary>
    public bool ZeroMeansEmpty { get; init; }

    /// <summary>False for what says how or where to run rather than what to train (the seed, threads, a step limit, the device): choosing a preset on the New run page leaves it as the person set it.</summary>
    public bool SetByPresets { get; init; } = true;

    /// <summary>
    /// False for an option that names something a server keeps (a checkpoint's id): <c>charrnn train</c> takes its own
    /// form of it under the same flag (<c>--init-from FILE</c>) rather than a flag made from this description.
    /// </summary>
    public bool CommandLine { get; init; } = true;
}
