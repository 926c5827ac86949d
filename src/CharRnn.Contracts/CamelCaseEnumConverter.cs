using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// Enums as the API, the hubs, stored run options and checkpoints write them: <c>"cosine"</c>, <c>"auto"</c>,
/// <c>"queued"</c>, whichever serializer options are in force. Reading ignores case and still takes numbers, so options
/// stored by earlier versions (<c>"Cosine"</c>, <c>1</c>) read as before.
/// </summary>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase) where T : struct, Enum;
