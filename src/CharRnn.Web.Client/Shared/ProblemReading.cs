using System.Net.Http.Json;
using System.Text.Json;

namespace CharRnn.Web.Client.Shared;

/// <summary>What a page shows of a refused request: the API's problem details (RFC 7807) say why in their <c>detail</c>.</summary>
public static class ProblemReading
{
    /// <summary>The response's <c>detail</c>, else its status in words (a proxy's page, say, is no sentence to show).</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        try
        {
            if (await response.Content.ReadFromJsonAsync<ProblemShape>(ContractsJson.Options) is { Detail: { Length: > 0 } detail }) return detail;
        }
        catch (JsonException) { }
        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    private sealed record ProblemShape(string? Detail);
}
