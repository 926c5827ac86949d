namespace CharRnn.Inference.Tokens;

/// <summary>Text (a prime, usually) holds characters that the model's vocabulary lacks.</summary>
public sealed class UnknownCharactersException(IReadOnlyList<string> characters, string subject = "The text")
    : ArgumentException(Describe(characters, subject))
{
    public IReadOnlyList<string> Characters { get; } = characters;

    private static string Describe(IReadOnlyList<string> characters, string subject) =>
        $"{subject} contains {characters.Count} character{(characters.Count == 1 ? "" : "s")} that the model does not know: "
        + string.Join(", ", characters.Take(20).Select(Show))
        + (characters.Count > 20 ? ", …" : "") + ".";

    private static string Show(string c) => c switch
    {
        "\n" => "'\\n'",
        "\t" => "'\\t'",
        "\r" => "'\\r'",
        _ when char.IsControl(c[0]) || char.IsWhiteSpace(c[0]) => $"U+{char.ConvertToUtf32(c, 0):X4}",
        _ => $"'{c}'",
    };
}
