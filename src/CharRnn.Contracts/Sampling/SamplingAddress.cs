using System.Globalization;

namespace CharRnn.Contracts;

/// <summary>
/// The addresses of the Generate and Compare pages, written and read in one place so that an address always reproduces
/// what its page shows: <c>/generate?checkpoint=3&amp;prime=The&amp;length=500&amp;temperature=0.8&amp;topK=all&amp;seed=7&amp;where=browser</c>.
/// Top-k is written out even when it is "all" (no top-k): a missing <c>topK</c> means the page's default, not "all".
/// Top-p (<c>topP=0.9</c>), each stop sequence (<c>stop=%0A%0A</c>, repeated) and a beam width (<c>beam=4</c>) are
/// written only when set.
/// </summary>
public static class SamplingAddress
{
    /// <summary>How an address says "no top-k": draw from every character.</summary>
    public const string AllCharacters = "all";

    /// <summary><c>5</c>, or <c>all</c> for no top-k.</summary>
    public static string TopK(int? topK) => topK?.ToString(CultureInfo.InvariantCulture) ?? AllCharacters;

    /// <summary>
    /// An address's <c>topK</c>: absent → <paramref name="absent"/> (the page's default); <c>all</c> or empty → null (no
    /// top-k); a whole number from 1 → that number; anything else → <paramref name="absent"/>.
    /// </summary>
    public static int? ReadTopK(string? text, int? absent)
    {
        if (text is null) return absent;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || string.Equals(trimmed, AllCharacters, StringComparison.OrdinalIgnoreCase)) return null;
        return int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 ? k : absent;
    }

    /// <summary>An address's number (<c>temperature=0.8</c>) in invariant form, or null.</summary>
    public static double? ReadNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>An address's <c>topP</c>: a number above 0 and at most 1, else null (every character).</summary>
    public static double? ReadTopP(string? text) => ReadNumber(text) is { } p && p > 0 && p <= 1 ? p : null;

    /// <summary>The Generate page for exactly these settings; without a seed, each Generate draws a new one.</summary>
    public static string Generate(int checkpointId, string prime, int length, double temperature, int? topK, int? seed, SamplingPlace where,
        double? topP = null, IReadOnlyList<string>? stop = null, int? beam = null) =>
        $"/generate?checkpoint={checkpointId}&prime={Uri.EscapeDataString(prime)}&length={length}"
        + $"&temperature={temperature.ToString(CultureInfo.InvariantCulture)}&topK={TopK(topK)}" + Steering(topP, stop, beam)
        + (seed is { } s ? $"&seed={s.ToString(CultureInfo.InvariantCulture)}" : "") + $"&where={ContractsJson.Name(where)}";

    /// <summary><c>&amp;topP=…</c>, one <c>&amp;stop=…</c> per stop sequence and <c>&amp;beam=…</c>, or nothing for those not set.</summary>
    private static string Steering(double? topP, IReadOnlyList<string>? stop, int? beam) =>
        (topP is { } p ? $"&topP={p.ToString(CultureInfo.InvariantCulture)}" : "")
        + string.Concat((stop ?? []).Select(s => $"&stop={Uri.EscapeDataString(s)}"))
        + (beam is { } b ? $"&beam={b.ToString(CultureInfo.InvariantCulture)}" : "");

    /// <summary>The Compare page for these checkpoints, in this order, with one prime, settings and seed for all.</summary>
    public static string Compare(IEnumerable<int> checkpointIds, string prime, int length, double temperature, int? topK, int seed) =>
        $"/compare?checkpoints={string.Join(",", checkpointIds)}&prime={Uri.EscapeDataString(prime)}&length={length}"
        + $"&temperature={temperature.ToString(CultureInfo.InvariantCulture)}&topK={TopK(topK)}&seed={seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The sample grid: a row per checkpoint, a column per temperature (<c>temperatures=0.5,0.8,1.2</c>) or, with
    /// <paramref name="acrossTopP"/>, per top-p at temperature 1 (<c>topPs=0.5,0.9,1</c>); one prime, seed and stop for all.
    /// </summary>
    public static string Grid(IEnumerable<int> checkpointIds, string prime, int length, int seed, IEnumerable<double> columns, bool acrossTopP, IReadOnlyList<string>? stop) =>
        $"/grid?checkpoints={string.Join(",", checkpointIds)}&prime={Uri.EscapeDataString(prime)}&length={length}&seed={seed.ToString(CultureInfo.InvariantCulture)}"
        + $"&{(acrossTopP ? "topPs" : "temperatures")}={string.Join(",", columns.Select(c => c.ToString(CultureInfo.InvariantCulture)))}"
        + Steering(topP: null, stop, beam: null);

    /// <summary>An address's list of numbers (<c>0.5,0.8,1.2</c>): those that read as numbers, in order.</summary>
    public static IReadOnlyList<double> ReadNumbers(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ReadNumber).OfType<double>().ToList();

    /// <summary>The Compare page for these checkpoints with its default settings.</summary>
    public static string Compare(IEnumerable<int> checkpointIds) => $"/compare?checkpoints={string.Join(",", checkpointIds)}";
}
