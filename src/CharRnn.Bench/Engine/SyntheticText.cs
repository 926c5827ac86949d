using CharRnn.Inference.Sampling;

namespace CharRnn.Bench.Engine;

/// <summary>Random text for speed measurements: training speed depends on the alphabet's size, not on the words.</summary>
public static class SyntheticText
{
    private const string Symbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-_*/&%$@#\n[]{}<>=+~";

    /// <summary><paramref name="length"/> characters drawn from the first <paramref name="alphabetSize"/> symbols (83: anna.txt's alphabet size).</summary>
    public static string Create(int length, int alphabetSize = 83, int seed = 1)
    {
        var alphabet = Symbols[..alphabetSize];
        var random = new SeededRandom(seed);
        return string.Create(length, alphabet, (span, a) => { for (var i = 0; i < span.Length; i++) span[i] = a[(int)(random.NextDouble() * a.Length)]; });
    }
}
