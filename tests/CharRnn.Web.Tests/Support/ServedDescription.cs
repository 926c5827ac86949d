namespace CharRnn.Web.Tests.Support;

/// <summary>
/// The REST API's description as the app serves it (<c>/openapi/v1.json</c>), fetched once per test run from a server of
/// its own: the OpenAPI tests read it, and the client's test has Kiota generate from it. With <c>CHARRNN_OPENAPI_OUT</c>
/// set (<c>.ci/run</c> sets it), it is also written to that file, which the lint (<c>scripts/lint-openapi.sh FILE</c>)
/// then reads instead of starting the app again.
/// </summary>
public static class ServedDescription
{
    private static readonly Lazy<Task<string>> Document = new(FetchAsync);

    public static Task<string> GetAsync() => Document.Value;

    private static async Task<string> FetchAsync()
    {
        var data = Directory.CreateTempSubdirectory("charrnn-openapi-").FullName;
        try
        {
            using var server = new StudioServer(data);
            var json = await server.Http.GetStringAsync("/openapi/v1.json");
            if (Environment.GetEnvironmentVariable("CHARRNN_OPENAPI_OUT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, json);
            return json;
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}
