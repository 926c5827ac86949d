using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// A sweep request as it is stored (JSON) and as people write it: JSON, or the same document in YAML. YAML is read into
/// the JSON it stands for, so both go through one set of checks: an unquoted scalar that reads as a number is a number,
/// true/false a boolean, null or ~ a null, anything else a string.
/// </summary>
public static class SweepRequests
{
    public static CreateSweepRequest Read(string json) => JsonSerializer.Deserialize<CreateSweepRequest>(json, ContractsJson.Options)!;

    public static string Write(CreateSweepRequest request) => JsonSerializer.Serialize(request, ContractsJson.Options);

    /// <summary>The request a JSON or YAML document describes, or why it cannot be read.</summary>
    public static (CreateSweepRequest? Request, string? Problem) Parse(string text, bool yaml)
    {
        try
        {
            var json = yaml ? YamlToJson(text) : text;
            return JsonSerializer.Deserialize<CreateSweepRequest>(json, ContractsJson.Options) is { } request
                ? (request, null)
                : (null, "The sweep document is empty.");
        }
        catch (YamlException e) { return (null, $"The sweep's YAML cannot be read at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"); }
        catch (JsonException e) { return (null, $"The sweep document does not fit the sweep's shape{(e.Path is { } path ? $" at {path}" : "")}: {e.Message}"); }
    }

    private static string YamlToJson(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0) throw new JsonException("The YAML holds no document.");
        return (ToJson(stream.Documents[0].RootNode) ?? throw new JsonException("The YAML document is empty.")).ToJsonString();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var plain } => Plain(plain),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new JsonException($"Unsupported YAML node at line {node.Start.Line}."),
    };

    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
        _ => JsonValue.Create(value),
    };
}
