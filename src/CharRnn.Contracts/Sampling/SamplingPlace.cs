using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>Where the Generate page draws a passage; its address writes <c>where=server</c> or <c>where=browser</c>.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SamplingPlace>))]
public enum SamplingPlace
{
    /// <summary>Streamed from the server through the sampling hub.</summary>
    Server,
    /// <summary>In the page, with the model downloaded once; no request reaches the server.</summary>
    Browser,
}
