using System.Globalization;

namespace CharRnn.Contracts;

/// <summary>
/// The Inside page's address, written and read in one place so that it always reproduces the view:
/// <c>/inside?checkpoint=3&amp;source=heldout&amp;layer=1&amp;quantity=c&amp;unit=151&amp;span=120-164&amp;feature=quotes</c>.
/// <c>source=text</c> carries the text (<c>text=…</c>), <c>source=passage</c> a shared passage (<c>passage=SLUG</c>);
/// <c>span=START-END</c> is a selected stretch, characters START to END − 1; <c>regex=…</c> a feature of one's own.
/// </summary>
public sealed record InsideAddress(int CheckpointId, InsideSource Source = InsideSource.HeldOut, string? Text = null, string? Passage = null, int Layer = 0,
    StateQuantity Quantity = StateQuantity.C, int Unit = 0, (int Start, int End)? Span = null, TextFeature? Feature = null, string? Regex = null)
{
    public override string ToString()
    {
        var address = $"/inside?checkpoint={CheckpointId}&source={ContractsJson.Name(Source)}";
        if (Source == InsideSource.Text) address += $"&text={Uri.EscapeDataString(Text ?? "")}";
        if (Source == InsideSource.Passage) address += $"&passage={Uri.EscapeDataString(Passage ?? "")}";
        address += $"&layer={Layer}&quantity={ContractsJson.Name(Quantity)}&unit={Unit}";
        if (Span is { } span) address += $"&span={span.Start}-{span.End}";
        if (Feature is { } feature) address += $"&feature={ContractsJson.Name(feature)}";
        if (!string.IsNullOrEmpty(Regex)) address += $"&regex={Uri.EscapeDataString(Regex)}";
        return address;
    }

    /// <summary>The view an address asks for; what it leaves out or gets wrong takes the defaults.</summary>
    public static InsideAddress Read(int checkpointId, string? source, string? text, string? passage, int? layer, string? quantity, int? unit,
        string? span, string? feature, string? regex) => new(
            checkpointId,
            ContractsJson.Parse<InsideSource>(source) ?? InsideSource.HeldOut,
            text, passage, Math.Max(0, layer ?? 0),
            ContractsJson.Parse<StateQuantity>(quantity) ?? StateQuantity.C,
            Math.Max(0, unit ?? 0),
            ReadSpan(span),
            ContractsJson.Parse<TextFeature>(feature),
            string.IsNullOrEmpty(regex) ? null : regex);

    /// <summary>The page that opens a checkpoint's held-out passage, or a text of one's own in it.</summary>
    public static string For(int checkpointId, string? text = null) =>
        new InsideAddress(checkpointId, text is null ? InsideSource.HeldOut : InsideSource.Text, text).ToString();

    /// <summary>The page that opens a shared passage in its checkpoint.</summary>
    public static string ForPassage(int checkpointId, string slug) => new InsideAddress(checkpointId, InsideSource.Passage, Passage: slug).ToString();

    private static (int, int)? ReadSpan(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var a, var b] && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end > start ? (start, end) : null;
    }
}
