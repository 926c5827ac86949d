using System.Text;
using System.Text.Json;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Inference.Tokens;

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

    /// <summary>The id <see cref="Encode(string, UnknownCharacters, string)"/> gives a character it reads past.</summary>
    public const int ReadPast = -1;

    /// <summary>
    /// The ids of <paramref name="text"/>'s characters. A character the model lacks is refused, naming every such
    /// character and the <paramref name="subject"/> ("The prime"), or with <see cref="UnknownCharacters.ReadPast"/> given
    /// the id <see cref="ReadPast"/>, so a reader can step over it and keep its position.
    /// </summary>
    /// <exception cref="UnknownCharactersException">The text has characters the model never saw and <paramref name="unknown"/> refuses them.</exception>
    public int[] Encode(string text, UnknownCharacters unknown = UnknownCharacters.Refuse, string subject = "The text")
    {
        var ids = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (TryGetId(rune, out var id)) ids.Add(id);
            else if (unknown == UnknownCharacters.ReadPast) ids.Add(ReadPast);
            else throw Unknown(text, subject)!;
        }
        return ids.ToArray();
    }

    /// <summary>The positions (code-point indices) of <paramref name="ids"/> that are read past.</summary>
    public static IReadOnlyList<int> ReadPastPositions(IReadOnlyList<int> ids) =>
        Enumerable.Range(0, ids.Count).Where(i => ids[i] == ReadPast).ToList();

    public string Decode(IEnumerable<int> ids)
    {
        var builder = new StringBuilder();
        foreach (var id in ids) builder.Append(_tokens[id]);
        return builder.ToString();
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be read in full: the distinct characters that have no token, in order of first
    /// appearance, named in a sentence about <paramref name="subject"/>; null when every character has one.
    /// </summary>
    public UnknownCharactersException? Unknown(string text, string subject = "The text")
    {
        var unknown = text.EnumerateRunes().Where(r => !_idByCodePoint.ContainsKey(r.Value)).Select(r => r.ToString()).Distinct().ToList();
        return unknown.Count == 0 ? null : new UnknownCharactersException(unknown, subject);
    }

    /// <summary>A JSON array of one-code-point strings in id order (the checkpoint's <c>vocab</c> metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(_tokens, InferenceJsonContext.Default.StringArray);

    public static Vocabulary FromJson(string json)
    {
        var tokens = JsonSerializer.Deserialize(json, InferenceJsonContext.Default.StringArray)
            ?? throw new FormatException("The vocabulary is null.");
        return new Vocabulary(tokens);
    }
}
