namespace CharRnn.Inference;

/// <summary>Text (a prime, usually) holds characters that the model's vocabulary lacks.</summary>
public sealed class UnknownCharactersException(IReadOnlyList<string> characters)
    : ArgumentException(Describe(characters))
{
    public IReadOnlyList<string> Characters { get; } = characters;

    private static string Describe(IReadOnlyList<string> characters) =>
        $"The text contains {characters.Count} character(s) that the model does not know: "
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
