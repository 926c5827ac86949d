using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>The text the Inside page reads; its address writes <c>source=heldout|text|passage</c>.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<InsideSource>))]
public enum InsideSource
{
    /// <summary>The start of the checkpoint's held-out passage, fetched from the server.</summary>
    [JsonStringEnumMemberName("heldout")] HeldOut,
    /// <summary>A text of one's own, carried in the address (<c>text=…</c>).</summary>
    Text,
    /// <summary>A shared passage (<c>passage=SLUG</c>).</summary>
    Passage,
}
