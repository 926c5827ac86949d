using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Training.Checkpoints;

/// <summary>
/// A checkpoint made ready to fine-tune on another book: its alphabet grown by the book's characters that it lacks, and
/// nothing it knew moved. The tokens are the checkpoint's, in their order, then the new characters by code point, so
/// every old id keeps its meaning (and a chain of fine-tunes keeps all of them). The one-hot input layer gets a zero
/// column for each new character, so a text of old characters gives exactly the old states. The output layer gets a
/// zero row for each, so every old logit is unchanged, and a bias that starts the character at about its frequency in
/// the new book: an old character's probability is the old one scaled by the mass the new characters take. Characters
/// the new book lacks stay.
/// </summary>
public static class GrownAlphabet
{
    /// <summary>The new characters of <paramref name="text"/> that <paramref name="vocabulary"/> lacks, by code point.</summary>
    public static IReadOnlyList<string> Missing(Vocabulary vocabulary, string text) =>
        Vocabulary.FromText(text).Tokens.Where(t => !vocabulary.TryGetId(System.Text.Rune.GetRuneAt(t, 0), out _)).ToList();

    /// <summary><paramref name="source"/> with its alphabet grown for <paramref name="text"/>; the source itself when nothing is missing.</summary>
    public static Checkpoint For(Checkpoint source, string text)
    {
        var added = Missing(source.Vocabulary, text);
        if (added.Count == 0) return source;
        var (oldSize, newSize, hidden) = (source.Vocabulary.Count, source.Vocabulary.Count + added.Count, source.Config.Hidden);
        var tensors = new Dictionary<string, TensorData>(source.Tensors);

        // Input: [4H, V] gains zero columns on the right.
        var input = source.Tensors["lstm.weight_ih_l0"];
        var grownInput = new float[4 * hidden * newSize];
        for (var row = 0; row < 4 * hidden; row++)
            Array.Copy(input.Values, row * oldSize, grownInput, row * newSize, oldSize);
        tensors["lstm.weight_ih_l0"] = new TensorData([4 * hidden, newSize], grownInput);

        // Output: [V, H] gains zero rows at the bottom, so the old logits are unchanged.
        var output = source.Tensors["fc.weight"];
        var grownOutput = new float[newSize * hidden];
        Array.Copy(output.Values, grownOutput, output.Values.Length);
        tensors["fc.weight"] = new TensorData([newSize, hidden], grownOutput);

        var bias = source.Tensors["fc.bias"];
        tensors["fc.bias"] = new TensorData([newSize], [.. bias.Values, .. NewBiases(bias.Values, added, text)]);

        var grown = source with
        {
            Config = source.Config with { VocabSize = newSize },
            Vocabulary = new Vocabulary([.. source.Vocabulary.Tokens, .. added]),
            Tensors = tensors,
        };
        grown.Validate();
        return grown;
    }

    /// <summary>
    /// Biases that give each new character its frequency f in the new book where the old logits are their biases alone:
    /// with S the sum of exp(old bias) and F the new characters' total frequency, exp(b) = f · S / (1 − F). Where the
    /// state moves the old logits, the new character starts near that frequency, and training takes it from there.
    /// </summary>
    private static float[] NewBiases(float[] oldBiases, IReadOnlyList<string> added, string text)
    {
        var counts = text.EnumerateRunes().GroupBy(r => r.ToString()).ToDictionary(g => g.Key, g => (double)g.Count());
        var total = counts.Values.Sum();
        var frequencies = added.Select(t => counts[t] / total).ToArray();
        var newMass = Math.Min(frequencies.Sum(), 0.5); // a book mostly of new characters must not crowd out the old ones entirely
        var peak = oldBiases.Max();
        var logS = peak + Math.Log(oldBiases.Sum(b => Math.Exp(b - peak))); // log Σ exp(b), without overflow
        return frequencies.Select(f => (float)(Math.Log(f) + logS - Math.Log(1 - newMass))).ToArray();
    }
}
