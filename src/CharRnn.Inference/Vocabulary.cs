using System.Text;
using System.Text.Json;

namespace CharRnn.Inference;

/// <summary>
/// Maps characters to token ids and back. One token per Unicode code point, so a surrogate pair
/// (an emoji, say) is one token. <see cref="FromText"/> sorts tokens by code point, so the same text
/// always gives the same ids; a vocabulary read from a file keeps the order it was written in
/// (an imported notebook checkpoint has its own order).
/// </summary>
public sealed class Vocabulary
{
    private readonly string[] _tokens;
    private readonly Dictionary<int, int> _idByCodePoint;

    public Vocabulary(IEnumerable<string> tokens)
    {
        _tokens = tokens.ToArray();
        _idByCodePoint = new Dictionary<int, int>(_tokens.Length);
        for (var id = 0; id < _tokens.Length; id++)
        {
            var token = _tokens[id];
            if (!Rune.TryGetRuneAt(token, 0, out var rune) || rune.Utf16SequenceLength != token.Length)
                throw new ArgumentException($"Token {id} is not exactly one Unicode code point: \"{token}\".", nameof(tokens));
            if (!_idByCodePoint.TryAdd(rune.Value, id))
                throw new ArgumentException($"Token {id} (U+{rune.Value:X4}) appears twice in the vocabulary.", nameof(tokens));
        }
        if (_tokens.Length == 0) throw new ArgumentException("A vocabulary needs at least one token.", nameof(tokens));
    }

    /// <summary>The distinct code points of <paramref name="text"/>, sorted by code point.</summary>
    public static Vocabulary FromText(string text)
    {
        var codePoints = new SortedSet<int>();
        foreach (var rune in text.EnumerateRunes()) codePoints.Add(rune.Value);
        return new Vocabulary(codePoints.Select(cp => char.ConvertFromUtf32(cp)));
    }

    public int Count => _tokens.Length;

    public IReadOnlyList<string> Tokens => _tokens;

    public string this[int id] => _tokens[id];

    public bool TryGetId(Rune rune, out int id) => _idByCodePoint.TryGetValue(rune.Value, out id);

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!TryGetId(rune, out var id))
                throw new UnknownCharactersException(FindUnknown(text));
            ids.Add(id);
        }
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids)
    {
        var builder = new StringBuilder();
        foreach (var id in ids) builder.Append(_tokens[id]);
        return builder.ToString();
    }

    /// <summary>The distinct characters of <paramref name="text"/> that have no token, in order of first appearance.</summary>
    public IReadOnlyList<string> FindUnknown(string text) =>
        text.EnumerateRunes().Where(r => !_idByCodePoint.ContainsKey(r.Value)).Select(r => r.ToString()).Distinct().ToList();

    /// <summary>A JSON array of one-code-point strings in id order (the checkpoint's <c>vocab</c> metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(_tokens, InferenceJsonContext.Default.StringArray);

    public static Vocabulary FromJson(string json)
    {
        var tokens = JsonSerializer.Deserialize(json, InferenceJsonContext.Default.StringArray)
            ?? throw new FormatException("The vocabulary is null.");
        return new Vocabulary(tokens);
    }
}
