using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>Why a passage ended (<c>endedBy</c> in the API): <c>stop</c>, <c>length</c> or <c>cancelled</c>.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SampleEnding>))]
public enum SampleEnding
{
    /// <summary>The drawn text ended with one of the stop sequences, which it keeps.</summary>
    Stop,
    /// <summary>It reached the length asked for.</summary>
    Length,
    /// <summary>The reader stopped it, or went away, before either.</summary>
    Cancelled,
}
