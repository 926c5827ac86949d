using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>What to generate.</summary>
/// <param name="Prime">Text fed to the model first; it sets the context and is not repeated in the output.</param>
/// <param name="Length">Characters to draw after the prime.</param>
/// <param name="Temperature">Logits are divided by it: below 1 is safer, above 1 wilder.</param>
/// <param name="TopK">Draw only from the k likeliest characters; null for all of them (the notebook used 5).</param>
/// <param name="Seed">Makes the draw repeatable; null picks one (see <see cref="WithSeed"/>).</param>
public sealed record SampleOptions(string Prime, int Length, double Temperature = 1.0, int? TopK = null, int? Seed = null)
{
    public const int MaxLength = 100_000;
    public const double MinTemperature = 0.01;
    public const double MaxTemperature = 10.0;

    /// <summary>These options with a concrete seed, drawn now when none was given.</summary>
    public SampleOptions WithSeed() => Seed is null ? this with { Seed = SeededRandom.NewSeed() } : this;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems(Vocabulary vocabulary)
    {
        var problems = new List<string>();
        if (Length is < 1 or > MaxLength)
            problems.Add($"Length must be between 1 and {MaxLength:N0} characters; it was {Length}.");
        if (double.IsNaN(Temperature) || Temperature < MinTemperature || Temperature > MaxTemperature)
            problems.Add($"Temperature must be between {MinTemperature} and {MaxTemperature}; it was {Temperature}.");
        if (TopK is < 1)
            problems.Add($"Top-k must be at least 1 (or left out to use every character); it was {TopK}.");
        if (vocabulary.Unknown(Prime ?? "", "The prime") is { } unknown) problems.Add(unknown.Message);
        return problems;
    }
}
