using System.Globalization;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>What to generate.</summary>
/// <param name="Prime">Text fed to the model first; it sets the context and is not repeated in the output.</param>
/// <param name="Length">Characters to draw after the prime at most: the passage ends sooner at a stop.</param>
/// <param name="Temperature">Logits are divided by it: below 1 is safer, above 1 wilder.</param>
/// <param name="TopK">Draw only from the k likeliest characters; null for all of them (the notebook used 5).</param>
/// <param name="Seed">Makes the draw repeatable; null picks one (see <see cref="WithSeed"/>).</param>
/// <param name="TopP">
/// Nucleus sampling: draw only from the likeliest characters whose probabilities (after the temperature and top-k) add
/// up to p; null or 1 for all of them.
/// </param>
/// <param name="Stop">Up to <see cref="MaxStops"/> strings: the passage ends as soon as the drawn text ends with one of them.</param>
/// <param name="Beam">Search for the likeliest continuation with a beam this wide (<see cref="BeamSearch"/>) instead of drawing; null draws.</param>
public sealed record SampleOptions(string Prime, int Length, double Temperature = 1.0, int? TopK = null, int? Seed = null,
    double? TopP = null, IReadOnlyList<string>? Stop = null, int? Beam = null)
{
    public const int MaxLength = 100_000;
    public const double MinTemperature = 0.01;
    public const double MaxTemperature = 10.0;
    public const int MaxStops = 4;
    public const int MaxStopLength = 64;

    /// <summary>These options with a concrete seed, drawn now when none was given.</summary>
    public SampleOptions WithSeed() => Seed is null ? this with { Seed = SeededRandom.NewSeed() } : this;

    /// <summary>The stop strings, none when there are none.</summary>
    public IReadOnlyList<string> Stops => Stop ?? [];

    /// <summary>
    /// What is wrong with these options, one sentence per problem; empty when they are fine. Without a
    /// <paramref name="vocabulary"/>, the prime's characters are not checked.
    /// </summary>
    public IReadOnlyList<string> Problems(Vocabulary? vocabulary)
    {
        var problems = new List<string>();
        if (Length is < 1 or > MaxLength)
            problems.Add($"Length must be between 1 and {MaxLength:N0} characters; it was {Length}.");
        if (double.IsNaN(Temperature) || Temperature < MinTemperature || Temperature > MaxTemperature)
            problems.Add($"Temperature must be between {MinTemperature} and {MaxTemperature}; it was {Temperature}.");
        if (TopK is < 1)
            problems.Add($"Top-k must be at least 1 (or left out to use every character); it was {TopK}.");
        if (TopP is { } p && !(p > 0 && p <= 1))
            problems.Add($"Top-p must be above 0 and at most 1 (or left out to use every character); it was {p.ToString(CultureInfo.InvariantCulture)}.");
        if (Stops.Count > MaxStops)
            problems.Add($"At most {MaxStops} stop sequences are allowed; there were {Stops.Count}.");
        if (Stops.Any(string.IsNullOrEmpty))
            problems.Add("A stop sequence cannot be empty.");
        if (Stops.FirstOrDefault(s => s?.Length > MaxStopLength) is { } longStop)
            problems.Add($"A stop sequence can be at most {MaxStopLength} characters; one was {longStop.Length}.");
        if (Beam is { } width && width is < 1 or > BeamSearch.MaxWidth)
            problems.Add($"Beam width must be between 1 and {BeamSearch.MaxWidth}; it was {width}.");
        // Beam search ranks whole continuations by their probability; top-k and top-p cut single draws, which it has none of.
        if (Beam is not null && (TopK is not null || TopP is not null))
            problems.Add("Beam search does not combine with top-k or top-p: leave them out (it ranks whole continuations, it draws nothing).");
        if (vocabulary?.Unknown(Prime ?? "", "The prime") is { } unknown) problems.Add(unknown.Message);
        return problems;
    }
}
