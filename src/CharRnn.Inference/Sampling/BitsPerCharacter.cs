using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>How surprised a model is by one character of a text: what it predicted there, and its likeliest alternatives.</summary>
/// <param name="Character">The character that came (one code point).</param>
/// <param name="Bits">−log₂ of the probability the model gave it.</param>
/// <param name="Alternatives">The likeliest characters at that point, best first, with their probabilities.</param>
public sealed record CharacterSurprise(string Character, double Bits, IReadOnlyList<Alternative> Alternatives);

public sealed record Alternative(string Character, double Probability);

/// <summary>A text's mean bits per character under a model, and each character's share.</summary>
/// <param name="Characters">Characters predicted: every one the model knows after the first.</param>
/// <param name="ReadPast">Characters the model lacks, read past (when asked to) and not predicted.</param>
public sealed record BitsResult(double BitsPerChar, int Characters, IReadOnlyList<CharacterSurprise> Detail, int ReadPast = 0)
{
    /// <summary>The text's whole cost in bits: what the model would take to encode it.</summary>
    public double TotalBits => BitsPerChar * Characters;
}

/// <summary>
/// Teacher-forced cross-entropy in bits per character: feed the text from a zero state, and at each step take
/// −log₂ softmax(logits)[next character]. The same quantity as the trainer's validation loss (in nats, ÷ ln 2),
/// so checkpoints compare on a held-out passage rather than on sampling luck. Each character's bits are the surprise
/// that the Inside page shows on hover.
/// </summary>
public static class BitsPerCharacter
{
    /// <param name="unknown">
    /// Refuse a text with characters the model lacks, naming them (the default), or read past them as Inside does: the
    /// model is not stepped for them, so what it expects next carries over, and they are counted in <see cref="BitsResult.ReadPast"/>.
    /// </param>
    public static BitsResult Measure(ICharModel model, string text, int alternatives = 3, UnknownCharacters unknown = UnknownCharacters.Refuse)
    {
        var tokens = model.Vocabulary.Encode(text, unknown);
        var known = tokens.Count(t => t != Vocabulary.ReadPast);
        if (known < 2) throw new ArgumentException("The text needs at least two characters the model knows: the first is only read, the rest are predicted.", nameof(text));

        model.Reset();
        var detail = new List<CharacterSurprise>(known - 1);
        var probabilities = new double[model.Vocabulary.Count];
        var (totalBits, readPast, predicting) = (0.0, 0, false);
        foreach (var token in tokens)
        {
            if (token == Vocabulary.ReadPast) { readPast++; continue; }
            if (predicting)
            {
                var bits = -Math.Log2(probabilities[token]);
                totalBits += bits;
                detail.Add(new CharacterSurprise(model.Vocabulary[token], bits, Likeliest(probabilities, model.Vocabulary, alternatives)));
            }
            Softmax(model.Step(token), probabilities);
            predicting = true;
        }
        return new BitsResult(totalBits / (known - 1), known - 1, detail, readPast);
    }

    /// <summary>softmax(logits) in double, its largest logit subtracted first.</summary>
    internal static void Softmax(ReadOnlySpan<float> logits, double[] probabilities)
    {
        double max = double.NegativeInfinity, total = 0;
        foreach (var logit in logits) max = Math.Max(max, logit);
        for (var i = 0; i < logits.Length; i++) total += probabilities[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < logits.Length; i++) probabilities[i] /= total;
    }

    /// <summary>The <paramref name="count"/> likeliest characters, best first (the lower id first on a tie).</summary>
    internal static IReadOnlyList<Alternative> Likeliest(double[] probabilities, Vocabulary vocabulary, int count) =>
        Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).ThenBy(i => i).Take(count)
            .Select(i => new Alternative(vocabulary[i], probabilities[i])).ToList();
}
