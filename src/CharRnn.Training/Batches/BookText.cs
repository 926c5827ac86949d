using System.Text;
using UtfUnknown;

namespace CharRnn.Training.Batches;

/// <summary>
/// A book's text decoded to a string and normalised as the notebook's Python read it
/// (CRLF and lone CR become LF), with the encoding it was found in.
/// </summary>
public sealed record BookText(string Text, string Encoding, long SizeBytes)
{
    static BookText() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Share of control characters (other than tab, newlines and form feed) above which text is taken for binary.</summary>
    private const double MaxControlShare = 0.01;

    public static BookText Load(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>The book's first <paramref name="bytes"/> bytes, as <c>head -c</c> would cut them (the benches' 1 MB books).</summary>
    public static BookText LoadFirst(string path, int bytes)
    {
        var all = File.ReadAllBytes(path);
        return Decode(all[..Math.Min(bytes, all.Length)]);
    }

    public static BookText Decode(byte[] bytes)
    {
        if (bytes.Length == 0) throw new TextLoadException("The file is empty.");
        var (text, encoding) = DecodeBytes(bytes);
        text = NormaliseLineEndings(text);
        if (text.Trim().Length == 0) throw new TextLoadException("The file holds no text (only a byte-order mark or white space).");
        var controls = text.Count(c => char.IsControl(c) && c is not ('\n' or '\t' or '\f'));
        if (controls > MaxControlShare * text.Length)
            throw new TextLoadException($"The file looks binary, not text: {controls:N0} of its {text.Length:N0} characters are control codes.");
        return new BookText(text, encoding, bytes.Length);
    }

    public static string NormaliseLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static (string Text, string Encoding) DecodeBytes(byte[] bytes)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
            return (DecodeStrictUtf8(bytes.AsSpan(3)) ?? throw Undecodable("it starts with a UTF-8 byte-order mark but is not valid UTF-8"), "utf-8");
        if (bytes is [0xFF, 0xFE, ..]) return (System.Text.Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "utf-16");
        if (bytes is [0xFE, 0xFF, ..]) return (System.Text.Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "utf-16BE");

        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0) throw new TextLoadException($"The file looks binary, not text: it has a NUL byte at offset {nul:N0}.");

        if (DecodeStrictUtf8(bytes) is { } utf8) return (utf8, "utf-8");

        // Not UTF-8: ask the detector (a port of Mozilla's and uchardet's) for a legacy encoding.
        var detected = CharsetDetector.DetectFromBytes(bytes).Detected;
        if (detected?.Encoding is null || detected.Confidence < 0.2f)
            throw Undecodable("it is not UTF-8 and no legacy encoding fits it");
        return (detected.Encoding.GetString(bytes), detected.Encoding.WebName);
    }

    private static string? DecodeStrictUtf8(ReadOnlySpan<byte> bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    private static TextLoadException Undecodable(string why) =>
        new($"The file cannot be read as text: {why}. Save it as UTF-8 and upload it again.");
}
