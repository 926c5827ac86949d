using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace CharRnn.Contracts;

/// <summary>
/// One option of <see cref="TrainingOptions"/> as its <see cref="OptionAttribute"/> describes it: what every surface
/// needs to show it, take it from text (a flag, a form, a JSON field) and check it. <see cref="All"/> lists them in the
/// order they are declared, which is the order forms and tables show them in.
/// </summary>
public sealed class TrainingOption
{
    private readonly PropertyInfo _property;
    private readonly OptionAttribute _description;
    private readonly PropertyInfo? _shownWhen;

    private TrainingOption(PropertyInfo property, OptionAttribute description)
    {
        _property = property;
        _description = description;
        _shownWhen = description.ShownWhen is { } name ? typeof(TrainingOptions).GetProperty(name) : null;
        Optional = Nullable.GetUnderlyingType(property.PropertyType) is not null;
        Type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        Name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
    }

    public static IReadOnlyList<TrainingOption> All { get; } = typeof(TrainingOptions).GetProperties()
        .Where(p => p.GetCustomAttribute<OptionAttribute>() is not null)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new TrainingOption(p, p.GetCustomAttribute<OptionAttribute>()!))
        .ToList();

    /// <summary>The option whose <see cref="Name"/> or C# property name is <paramref name="name"/> (any case), or null.</summary>
    public static TrainingOption? Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The refusal of a name that is no option, listing the options.</summary>
    public static string Unknown(string name) => $"There is no option '{name}'; the options are {string.Join(", ", All.Select(o => o.Name))}.";

    /// <summary>The JSON field and query key: <c>learningRate</c>.</summary>
    public string Name { get; }
    /// <summary>The C# property: <c>LearningRate</c>.</summary>
    public string PropertyName => _property.Name;
    public string Label => _description.Label;
    public string Help => _description.Help;
    public string Flag => _description.Flag;
    /// <summary><see cref="int"/>, <see cref="long"/>, <see cref="double"/> or an enum.</summary>
    public Type Type { get; }
    /// <summary>True when the option may be empty (null), which <see cref="Help"/> explains.</summary>
    public bool Optional { get; }
    public bool WholeNumber => Type == typeof(int) || Type == typeof(long);
    public double? Min => double.IsNaN(_description.Min) ? null : _description.Min;
    public double? Max => double.IsNaN(_description.Max) ? null : _description.Max;
    public double Step => double.IsNaN(_description.Step) ? 1 : _description.Step;

    /// <summary>False for what says how or where to run (seed, threads, step limit, device): a preset chosen on a form leaves it alone.</summary>
    public bool SetByPresets => _description.SetByPresets;

    /// <summary>False for an option that names something a server keeps: <c>charrnn train</c> has its own flag for it (<see cref="OptionAttribute.CommandLine"/>).</summary>
    public bool CommandLine => _description.CommandLine;

    /// <summary>An enum's values as they are written: <c>constant</c>, <c>cosine</c>, <c>linear</c>.</summary>
    public IReadOnlyList<string> Choices => Type.IsEnum ? Enum.GetNames(Type).Select(n => n.ToLowerInvariant()).ToList() : [];

    public object? Get(TrainingOptions options) => _property.GetValue(options);

    /// <summary>A copy of <paramref name="options"/> with this option set to <paramref name="value"/> (of <see cref="Type"/>, or null when optional).</summary>
    public TrainingOptions With(TrainingOptions options, object? value)
    {
        var copy = options with { };
        _property.SetValue(copy, value);
        return copy;
    }

    /// <summary>Whether the option means something with these options (the warm-up only with a decaying schedule).</summary>
    public bool AppliesTo(TrainingOptions options) => _shownWhen is null || (bool)_shownWhen.GetValue(options)!;

    /// <summary>The value as tables and flags write it: invariant numbers, enum names as the API writes them, "—" for empty.</summary>
    public string Format(TrainingOptions options) => Format(Get(options));

    public static string Format(object? value) => value switch
    {
        null => "—",
        Enum e => ContractsJson.Name(e),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "—",
    };

    /// <summary>What is wrong with this option's value in <paramref name="options"/>, in a sentence; null when it is within bounds.</summary>
    public string? Problem(TrainingOptions options)
    {
        if (Get(options) is not { } value || Type.IsEnum) return null;
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var tooLow = Min is { } min && (_description.MinExclusive ? number <= min : number < min);
        var tooHigh = Max is { } max && (_description.MaxExclusive ? number >= max : number > max);
        return tooLow || tooHigh ? $"{Label} must be {Bounds}; it was {Format(value)}." : null;
    }

    /// <summary>"between 1 and 4,096", "at least 0 and below 1", "above 0".</summary>
    public string Bounds
    {
        get
        {
            string Number(double x) => x == Math.Floor(x) ? x.ToString("N0", CultureInfo.InvariantCulture) : x.ToString("R", CultureInfo.InvariantCulture);
            string? low = Min is { } min ? (_description.MinExclusive ? "above " : "at least ") + Number(min) : null;
            string? high = Max is { } max ? (_description.MaxExclusive ? "below " : "at most ") + Number(max) : null;
            if (Min is { } a && Max is { } b && !_description.MinExclusive && !_description.MaxExclusive) return $"between {Number(a)} and {Number(b)}";
            return string.Join(" and ", new[] { low, high }.OfType<string>());
        }
    }

    /// <summary>
    /// Reads a value written as text (a flag's argument, a form's or an address's field): a number in invariant form, an
    /// enum's name in any case, and for an optional option an empty text (or 0, where 0 means empty) for null.
    /// </summary>
    public bool TryParse(string? text, out object? value, out string? problem)
    {
        (value, problem) = (null, null);
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            if (Optional) return true;
            problem = $"{Label} needs a value.";
            return false;
        }
        if (Type.IsEnum)
        {
            var match = Enum.GetNames(Type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (match is not null) { value = Enum.Parse(Type, match); return true; }
            problem = $"{Label} must be one of {string.Join(", ", Choices)}; it was '{text}'.";
            return false;
        }
        if (WholeNumber && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            && (Type == typeof(long) || whole is >= int.MinValue and <= int.MaxValue))
        {
            value = Type == typeof(long) ? (object)whole : (int)whole;
        }
        else if (!WholeNumber && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            value = real;
        }
        else
        {
            problem = $"{Label} must be {(WholeNumber ? "a whole number" : "a number")}; it was '{text}'.";
            return false;
        }
        if (_description.ZeroMeansEmpty && Convert.ToDouble(value, CultureInfo.InvariantCulture) == 0) value = null;
        return true;
    }

    /// <summary>Reads a JSON field's value: a number or a string (as <see cref="TryParse"/> reads it); JSON null means "not given".</summary>
    public bool TryRead(JsonElement element, out object? value, out bool given, out string? problem)
    {
        given = element.ValueKind != JsonValueKind.Null;
        (value, problem) = (null, null);
        if (!given) return true;
        var text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString(),
            _ => null,
        };
        if (text is not null) return TryParse(text, out value, out problem);
        problem = $"{Name} must be {(Type.IsEnum ? "a string" : "a number")}; it was {element.ValueKind.ToString().ToLowerInvariant()}.";
        return false;
    }
}
