using System.Net.Http.Json;

namespace CharRnn.Web.Client.Shared;

/// <summary>The checkpoints a page in the browser offers, asked of the server's API with their runs' names.</summary>
public static class CheckpointListing
{
    /// <exception cref="HttpRequestException">The server could not be asked, or refused.</exception>
    public static async Task<CheckpointChoices> LoadAsync(HttpClient http)
    {
        var runs = await http.GetFromJsonAsync<List<RunDto>>("/api/runs", ContractsJson.Options) ?? [];
        var checkpoints = await http.GetFromJsonAsync<List<CheckpointDto>>("/api/checkpoints", ContractsJson.Options) ?? [];
        return new CheckpointChoices(checkpoints, runs);
    }
}
