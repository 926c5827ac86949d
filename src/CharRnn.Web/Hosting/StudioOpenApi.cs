using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnn.Web.Features.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CharRnn.Web.Hosting;

/// <summary>
/// The REST API describes itself at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi, from the endpoints' typed
/// results and request types, the handlers' XML comments and the names the endpoints are mapped with) with a reference
/// page at <c>/scalar</c>. It is written for programs: a client generated from it (Kiota, in the tests) trains and
/// samples. A run request's training options come from their one description (<see cref="TrainingOption"/>): each with
/// its type, help, bounds and choices.
/// </summary>
public static class StudioOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    /// <summary>The security schemes: the owner token as a bearer header (scripts), or the cookie signing in sets (browsers).</summary>
    public const string TokenScheme = "ownerToken", CookieScheme = "ownerCookie";

    /// <summary>What each tag (a group of endpoints, a section of the reference page) is for.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Books"] = "The texts runs learn from: uploaded in any encoding, each with its alphabet and letter-frequency loss.",
        ["Runs"] = "Training runs: queue, estimate, follow, cancel, resume, remedy and delete them. Live progress is also on the training hub (`/hubs/training`).",
        ["Sweeps"] = "Searches over training options, each trial a run, with successive halving that stops poor trials early.",
        ["Checkpoints"] = "The saved models of runs, and those imported from the PyTorch notebook: list, download, score and import.",
        ["Inside the model"] = "What a checkpoint's units do: their states over a text, the units that track a feature, gate saturation.",
        ["Sampling"] = "Text drawn from a checkpoint on the server; the sampling hub (`/hubs/sampling`) streams it instead.",
        ["Passages"] = "Generated passages kept for sharing, each with a page at `/p/{slug}`.",
        ["Account"] = "Signing in as the owner from a browser. Scripts send the owner token as a bearer header instead.",
    };

    public static void AddStudioOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CharRnn Studio";
            document.Info.Description = "Upload books, train character-level LSTMs on them, watch and compare runs, and generate text. "
                + "Errors are RFC 7807 problem details with a `detail` a person can act on. Live progress and streamed sampling are SignalR hubs "
                + "(`/hubs/training`, `/hubs/sampling`), described in docs/design.md.";
            // The server is where the document was asked from, written without the trailing slash clients would double.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description = description;
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [TokenScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "`Authorization: Bearer TOKEN`, with the owner token (`CharRnn:OwnerToken`, or the one the log prints when the app is exposed). "
                        + "Not needed while the app listens only on this machine.",
                },
                [CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = OwnerSecurity.CookieName,
                    Description = "The cookie that signing in (`/account/signin`) sets in a browser.",
                },
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Secure(operation, context);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(CreateRunRequest)) DescribeOptions(schema);
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// Who may call the operation, from its authorization policy: the owner's (the token or the cookie, once the app is
    /// exposed), the reader's (anyone, unless reading is private), or none (a shared passage, signing in).
    /// </summary>
    private static void Secure(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var policy = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault();
        OpenApiSecurityRequirement Scheme(string id) => new() { [new OpenApiSecuritySchemeReference(id, context.Document)] = [] };
        operation.Security = policy switch
        {
            OwnerAccess.Policy => [Scheme(TokenScheme), Scheme(CookieScheme)],
            OwnerAccess.ReadPolicy => [new OpenApiSecurityRequirement(), Scheme(TokenScheme), Scheme(CookieScheme)],
            _ => [new OpenApiSecurityRequirement()],
        };
        if (policy is null) return;
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["401"] = new OpenApiResponse
        {
            Description = policy == OwnerAccess.Policy
                ? "The app is exposed, and the request carries neither the owner token nor the owner's cookie."
                : "Reading is private (`CharRnn:PrivateRead`), and the request carries neither the owner token nor the owner's cookie.",
        };
    }

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
            // No "default": the value an omitted option takes is the chosen preset's, and a generated client would send a
            // declared default with every request, laying the notebook's recipe over whichever preset was asked for.
            var notebook = JsonSerializer.Serialize(option.Get(TrainingPresets.Notebook.Options), ContractsJson.Options);
            var property = new OpenApiSchema
            {
                Description = $"{option.Label}. {option.Help}{(option.Bounds.Length > 0 ? $" Must be {option.Bounds}." : "")} "
                    + $"Omitted or null: the preset's value (the notebook's is {notebook}).",
                // null is always allowed: it means "not given", so the preset's value stands.
                Type = (option.Type.IsEnum ? JsonSchemaType.String : option.WholeNumber ? JsonSchemaType.Integer : JsonSchemaType.Number) | JsonSchemaType.Null,
            };
            if (option.Type.IsEnum) property.Enum = option.Choices.Select(c => (JsonNode)JsonValue.Create(c)!).ToList();
            if (option.Min is { } min) property.Minimum = min.ToString(CultureInfo.InvariantCulture);
            if (option.Max is { } max) property.Maximum = max.ToString(CultureInfo.InvariantCulture);
            schema.Properties[option.Name] = property;
        }
    }
}
