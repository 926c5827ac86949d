using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Api.Operations;

/// <summary>The REST API's own description at <c>/openapi/v1.json</c> (served once a run: <see cref="ServedDescription"/>), and its reference page.</summary>
public class OpenApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly StudioServer _server = shared.Server;

    /// <summary>"/api/books/{id:int}/" as OpenAPI writes paths: "/api/books/{id}".</summary>
    private static string PathOf(RouteEndpoint endpoint) =>
        "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            _ => "",
        }))));

    [Fact]
    public async Task Every_mapped_endpoint_is_described_with_its_request_and_response_schemas()
    {
        using var document = JsonDocument.Parse(await ServedDescription.GetAsync());
        var paths = document.RootElement.GetProperty("paths");
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        JsonElement Resolve(JsonElement schema) =>
            schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

        var endpoints = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api") || raw.StartsWith("/account")))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method => (Endpoint: e, Method: method.ToLowerInvariant())))
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");

        foreach (var (endpoint, method) in endpoints)
        {
            var where = $"{method.ToUpperInvariant()} {PathOf(endpoint)}";
            Assert.True(paths.TryGetProperty(PathOf(endpoint), out var path), $"{where} is not in the document");
            Assert.True(path.TryGetProperty(method, out var operation), $"{where} is not in the document");

            // A body the endpoint reads (JSON, or a multipart upload) is described with its schema.
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts)
            {
                var content = operation.GetProperty("requestBody").GetProperty("content");
                Assert.True(accepts.ContentTypes.All(type => content.TryGetProperty(type, out var body) && body.TryGetProperty("schema", out _)),
                    $"{where}: its request body ({string.Join(", ", accepts.ContentTypes)}) has no schema");
            }

            // Each success it answers with a value is described with that value's schema; every "no" with a problem's.
            var responses = operation.GetProperty("responses");
            var produces = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().ToList();
            Assert.True(produces.Any(p => p.StatusCode is >= 200 and < 400), $"{where} declares no success response");
            foreach (var answer in produces.Where(p => p.Type is not null && p.Type != typeof(void) && p.ContentTypes.Contains("application/json")))
            {
                Assert.True(responses.TryGetProperty(answer.StatusCode.ToString(), out var response), $"{where}: no response {answer.StatusCode}");
                var schema = Resolve(response.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema"));
                Assert.True(schema.ValueKind == JsonValueKind.Object && schema.EnumerateObject().Any(), $"{where}: response {answer.StatusCode} has an empty schema");
            }
        }

        // A run request describes every training option, from the options' one description.
        var run = schemas.GetProperty(nameof(CreateRunRequest)).GetProperty("properties");
        Assert.All(TrainingOption.All, option => Assert.True(run.TryGetProperty(option.Name, out _), $"the run request's schema lacks {option.Name}"));
        Assert.Equal(["auto", "cpu", "cuda"], run.GetProperty("device").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(1, run.GetProperty("hidden").GetProperty("minimum").GetDouble());
        Assert.True(Resolve(paths.GetProperty("/api/books/{id}").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties").TryGetProperty("alphabetSize", out _));
    }

    [Fact]
    public async Task Every_operation_is_named_summarised_described_and_secured_and_every_number_is_a_number()
    {
        using var document = JsonDocument.Parse(await ServedDescription.GetAsync());
        var root = document.RootElement;
        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Where: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value))).ToList();
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations");

        var ids = new HashSet<string>();
        foreach (var (where, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("operationId", out var id) && ids.Add(id.GetString()!), $"{where} has no operationId of its own");
            Assert.Matches("^[a-z][A-Za-z]+$", id.GetString()!);
            var summary = operation.GetProperty("summary").GetString()!;
            Assert.True(summary.Length is > 5 and <= 60 && !summary.Contains('\n'), $"{where}: summary '{summary}' is not one short line");
            Assert.True(operation.GetProperty("description").GetString()!.Length > summary.Length, $"{where} has no description beyond its summary");
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{where} says nothing of its security");
        }

        // The owner token as a bearer header, and the cookie signing in sets; what needs the owner says so, and answers 401.
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(("http", "bearer"), (schemes.GetProperty("ownerToken").GetProperty("type").GetString(), schemes.GetProperty("ownerToken").GetProperty("scheme").GetString()));
        Assert.Equal(("apiKey", "cookie", "charrnn-owner"), (schemes.GetProperty("ownerCookie").GetProperty("type").GetString(),
            schemes.GetProperty("ownerCookie").GetProperty("in").GetString(), schemes.GetProperty("ownerCookie").GetProperty("name").GetString()));
        string Security(string where) => operations.Single(o => o.Where == where).Operation.GetProperty("security").GetRawText().Replace(" ", "").Replace("\n", "");
        Assert.Equal("""[{"ownerToken":[]},{"ownerCookie":[]}]""", Security("POST /api/runs"));
        Assert.Equal("""[{},{"ownerToken":[]},{"ownerCookie":[]}]""", Security("GET /api/runs/{id}"));
        Assert.Equal("[{}]", Security("GET /api/passages/{slug}"));
        Assert.True(operations.Single(o => o.Where == "POST /api/runs").Operation.GetProperty("responses").TryGetProperty("401", out _));

        // No number may be a string or a named literal: a client generator makes a wrapper type of such a union.
        var text = root.GetRawText();
        Assert.DoesNotContain("\"NaN\"", text);
        Assert.DoesNotContain("\"pattern\"", text);
        void Walk(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
                {
                    var kinds = type.EnumerateArray().Select(k => k.GetString()).Where(k => k != "null").ToList();
                    Assert.True(kinds.Count == 1, $"{path} is {string.Join(" or ", kinds)}");
                }
                foreach (var p in e.EnumerateObject()) Walk(p.Value, $"{path}/{p.Name}");
            }
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var (item, i) in e.EnumerateArray().Select((item, i) => (item, i))) Walk(item, $"{path}/{i}");
        }
        Walk(root, "");
        var learningRate = root.GetProperty("components").GetProperty("schemas").GetProperty("TrainingOptions").GetProperty("properties").GetProperty("learningRate");
        Assert.Equal("number", learningRate.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Numbers_are_read_as_numbers_only_and_an_unreadable_body_is_a_problem_that_says_where()
    {
        var server = _server;
        var book = await server.UploadBookAsync(StudioClient.Repeated(20));
        // A number sent as a string is refused, as the description says, instead of being read as one.
        var quoted = await server.Http.PostAsync("/api/samples", new StringContent($$"""{"checkpointId": 1, "prime": "a", "length": "20"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, quoted.StatusCode);
        Assert.Contains("$.length", await quoted.ProblemDetailAsync());
        var broken = await server.Http.PostAsync("/api/samples", new StringContent("""{"checkpointId": 1,""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.StartsWith("The body is not what this endpoint reads", await broken.ProblemDetailAsync());
        // The caller's mistakes, not the server's errors.
        Assert.DoesNotContain(server.Logs.All, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(await server.Http.GetStringAsync($"/api/books/{book.Id}")).RootElement.GetProperty("frequencyLoss").ValueKind);
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        var server = _server;
        var response = await server.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync());
    }
}
