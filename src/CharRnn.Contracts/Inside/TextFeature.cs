using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// A property of a text that a unit may track, with a value at each character (after the model has read it). The units
/// Karpathy, Johnson and Fei-Fei found in char-rnn track these.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TextFeature>))]
public enum TextFeature
{
    /// <summary>1 inside double quotes ("…", “…”), counting the opening quote and not the closing one; else 0. A blank line ends a quotation, as paragraphs do in books.</summary>
    Quotes,
    /// <summary>1 inside parentheses, brackets or braces, counting the opening one and not the closing one; else 0. A blank line ends them too.</summary>
    Brackets,
    /// <summary>Characters since the last newline: 0 at the newline, 1 at the line's first character.</summary>
    [JsonStringEnumMemberName("line-position")] LinePosition,
    /// <summary>Position in the word: 1 at a word's first letter (or digit or apostrophe inside it), 0 outside words.</summary>
    [JsonStringEnumMemberName("word-position")] WordPosition,
    /// <summary>1 at the first letter of a sentence (the text's first, or the first after . ! ? and a space or newline); else 0.</summary>
    [JsonStringEnumMemberName("sentence-start")] SentenceStart,
}
