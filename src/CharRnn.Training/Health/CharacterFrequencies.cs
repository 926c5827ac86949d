namespace CharRnn.Training.Health;

/// <summary>
/// The loss of guessing each character by how often it occurs, knowing nothing else: the entropy, in nats, of a text's
/// character frequencies. A model whose loss sits there has learned only the frequencies (3.10 on anna.txt).
/// </summary>
public static class CharacterFrequencies
{
    /// <param name="symbols">The characters (tokens or runes) of the text whose frequencies are counted.</param>
    public static double Entropy<T>(IEnumerable<T> symbols) where T : notnull
    {
        var counts = symbols.CountBy(s => s).Select(c => (double)c.Value).ToList();
        var n = counts.Sum();
        return n == 0 ? 0 : -counts.Sum(c => c / n * Math.Log(c / n));
    }
}
