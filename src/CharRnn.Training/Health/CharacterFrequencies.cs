namespace CharRnn.Training.Health;

/// <summary>
/// The loss of guessing each character by how often it occurs, knowing nothing else: the entropy, in nats, of a text's
/// character frequencies. A model whose loss sits there has learned only the frequencies (3.10 on anna.txt).
/// </summary>
public static class CharacterFrequencies
{
    /// <summary>
    /// A book's letter-frequency loss: the entropy of the characters of its default training split (the first 90 %, as
    /// every preset splits a book). It is measured once and stored with the book, and it is both the line the charts draw
    /// and the level that a run is judged stuck against, so the line a person sees is the one that is judged. A run that
    /// holds out another share of the book would move it by thousandths.
    /// </summary>
    public static double OfBook(string text) =>
        Entropy(text.EnumerateRunes().Take(TrainingPresets.Notebook.Options.TrainingCharacters(text.EnumerateRunes().Count())));

    /// <param name="symbols">The characters (tokens or runes) of the text whose frequencies are counted.</param>
    public static double Entropy<T>(IEnumerable<T> symbols) where T : notnull
    {
        var counts = symbols.CountBy(s => s).Select(c => (double)c.Value).ToList();
        var n = counts.Sum();
        return n == 0 ? 0 : -counts.Sum(c => c / n * Math.Log(c / n));
    }
}
