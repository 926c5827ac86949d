using System.Text;

namespace CharRnn.Contracts;

/// <summary>
/// Stop sequences as a person types them in one field: separated by <c>|</c>, with <c>\n</c> for a line break, <c>\t</c>
/// for a tab, <c>\|</c> for a bar and <c>\\</c> for a backslash. <c>\n\n | THE END</c> is a blank line, or "THE END".
/// Spaces around each <c>|</c> are dropped; a space inside a stop is kept.
/// </summary>
public static class StopSequences
{
    public static IReadOnlyList<string> Parse(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return [];
        var stops = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '\\' && i + 1 < field.Length)
            {
                current.Append(field[++i] switch { 'n' => '\n', 't' => '\t', var other => other });
                continue;
            }
            if (c == '|') { Add(); continue; }
            current.Append(c);
        }
        Add();
        return stops;

        void Add()
        {
            var stop = TrimSpaces(current.ToString());
            if (stop.Length > 0) stops.Add(stop);
            current.Clear();
        }
    }

    /// <summary>The field that <see cref="Parse"/> reads back as <paramref name="stops"/>.</summary>
    public static string Format(IReadOnlyList<string> stops) =>
        string.Join(" | ", stops.Select(s => s.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\n", "\\n").Replace("\t", "\\t")));

    // Only plain spaces: an escaped line break at either end is part of the stop.
    private static string TrimSpaces(string text) => text.Trim(' ');
}
