using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CharRnn.Contracts;

namespace CharRnn.Inference.Inside;

/// <summary>
/// The value of a <see cref="TextFeature"/>, or of a person's regular expression, at each character of a text (one
/// code point, as the model reads it): what a unit's values are correlated with. A value belongs to the state after
/// the character is read, so an opening quote is inside the quotes and a closing one outside.
/// </summary>
public static class TextFeatures
{
    public static IReadOnlyList<TextFeature> All { get; } = Enum.GetValues<TextFeature>();

    /// <summary>The text's characters as the model reads them, one code point each.</summary>
    public static string[] Characters(string text) => text.EnumerateRunes().Select(r => r.ToString()).ToArray();

    public static double[] Values(TextFeature feature, IReadOnlyList<string> characters) => feature switch
    {
        TextFeature.Quotes => Inside(characters, c => c is "\u201C" ? 1 : c is "\u201D" ? -1 : null, toggle: "\""),
        TextFeature.Brackets => Inside(characters, c => c is "(" or "[" or "{" ? 1 : c is ")" or "]" or "}" ? -1 : null, toggle: null),
        TextFeature.LinePosition => Counting(characters, c => c != "\n"),
        TextFeature.WordPosition => Counting(characters, IsWordCharacter),
        TextFeature.SentenceStart => SentenceStarts(characters),
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>1 at every character inside a match of <paramref name="regex"/>, else 0.</summary>
    /// <exception cref="RegexMatchTimeoutException">The match ran past the regex's time-out.</exception>
    public static double[] Matches(Regex regex, string text)
    {
        // Matches are found in UTF-16 positions; a character is one code point, so count the runes before each.
        var inside = new double[text.EnumerateRunes().Count()];
        var runeAt = new int[text.Length + 1];
        for (int i = 0, rune = 0; i <= text.Length; i++)
        {
            runeAt[i] = rune;
            if (i < text.Length && !char.IsHighSurrogate(text[i])) rune++;
        }
        for (var match = regex.Match(text); match.Success; match = match.NextMatch())
            for (var r = runeAt[match.Index]; r < runeAt[match.Index + match.Length]; r++) inside[r] = 1;
        return inside;
    }

    /// <summary>
    /// 1 from an opening mark to the character before its closing one: depth counted, a toggle flipping. Both end at a
    /// blank line: a book's quotation running over paragraphs opens again in each one without closing, and a passage
    /// that begins inside a quotation (a held-out split starts anywhere) is set right at its first paragraph's end.
    /// </summary>
    private static double[] Inside(IReadOnlyList<string> characters, Func<string, int?> depthChange, string? toggle)
    {
        var values = new double[characters.Count];
        var (depth, toggled) = (0, false);
        for (var t = 0; t < characters.Count; t++)
        {
            if (characters[t] == "\n" && t > 0 && characters[t - 1] == "\n") (depth, toggled) = (0, false);
            else if (characters[t] == toggle) toggled = !toggled;
            else if (depthChange(characters[t]) is { } change) depth = Math.Max(0, depth + change);
            values[t] = depth > 0 || toggled ? 1 : 0;
        }
        return values;
    }

    /// <summary>How many characters in a row, up to and including this one, satisfy <paramref name="counts"/> (0 where it fails).</summary>
    private static double[] Counting(IReadOnlyList<string> characters, Func<string, bool> counts)
    {
        var values = new double[characters.Count];
        for (var t = 0; t < characters.Count; t++) values[t] = counts(characters[t]) ? (t > 0 ? values[t - 1] : 0) + 1 : 0;
        return values;
    }

    private static bool IsWordCharacter(string c) => Rune.GetRuneAt(c, 0) is var r && (Rune.IsLetterOrDigit(r) || c is "'" or "\u2019");

    private static double[] SentenceStarts(IReadOnlyList<string> characters)
    {
        var values = new double[characters.Count];
        var (ended, spaced) = (true, true); // the text's first letter starts a sentence
        foreach (var (c, t) in characters.Select((c, t) => (c, t)))
        {
            if (Rune.IsLetter(Rune.GetRuneAt(c, 0)))
            {
                if (ended && spaced) values[t] = 1;
                (ended, spaced) = (false, false);
            }
            else if (c is "." or "!" or "?") (ended, spaced) = (true, false);
            else if (c is " " or "\n" or "\t") spaced = true;
            else if (!(ended && c is "\"" or "'" or "\u201C" or "\u2018" or "(" or "_" or "-")) (ended, spaced) = (false, false);
        }
        return values;
    }
}
