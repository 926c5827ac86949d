using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// The JSON of the REST API, the hubs, stored run options and checkpoint metadata, set once: camelCase names (enums too,
/// by <see cref="CamelCaseEnumConverter{T}"/>), and numbers as plain JSON numbers, strictly. The web defaults would
/// also read numbers from strings, and the OpenAPI document then describes every number as "number or string", which
/// client generators turn into wrapper types that cannot hold a value. No figure the API gives can be NaN or infinite:
/// the trainer stops a run before it records such a loss, and a value not yet measured is null.
/// </summary>
public static class ContractsJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>An enum value as the API and the page addresses write it: <c>line-position</c>, <c>c</c>, <c>cosine</c>.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    /// <summary>The same for an enum whose type is known only when the program runs (a training option's value).</summary>
    public static string Name(Enum value) => JsonSerializer.Serialize(value, value.GetType(), Options).Trim('"');

    /// <summary>The enum value an address or a stored setting names as <see cref="Name{T}"/> writes it, or null for none or an unknown name.</summary>
    public static T? Parse<T>(string? name) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(name)) return null;
        try { return JsonSerializer.Deserialize<T>($"\"{JsonEncodedText.Encode(name)}\"", Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>Applies these settings to options the framework owns (ASP.NET Core's HTTP JSON, SignalR's protocol).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
