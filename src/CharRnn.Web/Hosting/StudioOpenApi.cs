using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CharRnn.Web.Hosting;

/// <summary>
/// The REST API describes itself at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi, from the endpoints' typed
/// results and request types) with a reference page at <c>/scalar</c>. A run request's training options come from
/// their one description (<see cref="TrainingOption"/>): each with its type, help, bounds and choices.
/// </summary>
public static class StudioOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    public static void AddStudioOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CharRnn Studio";
            document.Info.Description = "Upload books, train character-level LSTMs on them, watch and compare runs, and generate text. "
                + "Errors are RFC 7807 problem details with a `detail` a person can act on. Live progress and streamed sampling are SignalR hubs "
                + "(`/hubs/training`, `/hubs/sampling`), described in docs/design.md.";
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(CreateRunRequest)) DescribeOptions(schema);
            return Task.CompletedTask;
        });
    });

    public static void MapStudioOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        // The page is served from this app (no CDN), and a self-hosted tool sends nothing elsewhere: no telemetry, no AI chat.
        app.MapScalarApiReference(ReferencePath, options =>
        {
            options.WithTitle("CharRnn Studio API").WithOpenApiRoutePattern(DocumentPath);
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.Telemetry = false;
            options.Agent = new ScalarAgentOptions { Disabled = true };
        });
    }

    /// <summary>Every training option as a property of the run request, as its description has it.</summary>
    private static void DescribeOptions(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.AdditionalPropertiesAllowed = false;
        schema.AdditionalProperties = null;
        schema.Properties["preset"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Null,
            Description = "The options the fields given are laid over: " + string.Join("; ", TrainingPresets.All.Select(p => $"{p.Key} ({p.Name}): {p.Description}")),
            Enum = TrainingPresets.All.Select(p => (JsonNode)JsonValue.Create(p.Key)!).ToList(),
            Default = JsonValue.Create(TrainingPresets.Notebook.Key),
        };
        foreach (var option in TrainingOption.All)
        {
            var property = new OpenApiSchema
            {
                Description = $"{option.Label}. {option.Help}{(option.Bounds.Length > 0 ? $" Must be {option.Bounds}." : "")} Omitted or null: the preset's value.",
                // null is always allowed: it means "not given", so the preset's value stands.
                Type = (option.Type.IsEnum ? JsonSchemaType.String : option.WholeNumber ? JsonSchemaType.Integer : JsonSchemaType.Number) | JsonSchemaType.Null,
                Default = JsonSerializer.SerializeToNode(option.Get(TrainingPresets.Notebook.Options), ContractsJson.Options),
            };
            if (option.Type.IsEnum) property.Enum = option.Choices.Select(c => (JsonNode)JsonValue.Create(c)!).ToList();
            if (option.Min is { } min) property.Minimum = min.ToString(CultureInfo.InvariantCulture);
            if (option.Max is { } max) property.Maximum = max.ToString(CultureInfo.InvariantCulture);
            schema.Properties[option.Name] = property;
        }
    }
}
