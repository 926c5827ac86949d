using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CharRnn.Web.Tests.Support;

/// <summary>Sweeps through the REST API, as a script would drive them.</summary>
public static class SweepClient
{
    /// <summary>The start of corpus/anna.txt: text with structure, so that trials' losses differ as their options do.</summary>
    public static string Anna(int characters) => File.ReadAllText(Bench.Reports.RepositoryPath.Resolve("corpus/anna.txt"))[..characters];

    /// <summary>Values as a sweep's <c>values</c> list.</summary>
    public static ParameterSpace Values(params object[] values) => new(Values: values.Select(v => JsonSerializer.SerializeToElement(v, ContractsJson.Options)).ToArray());

    /// <summary>Options laid over a preset for every trial, by JSON name.</summary>
    public static SweepBase Base(string preset, params (string Field, object Value)[] options) =>
        new(preset, Options: options.ToDictionary(o => o.Field, o => JsonSerializer.SerializeToElement(o.Value, ContractsJson.Options)));

    public static async Task<SweepDto> CreateSweepAsync(this StudioServer server, CreateSweepRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/sweeps", request, Json.Options);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SweepDto>(Json.Options))!;
    }

    /// <summary>Polls the sweep until it is no longer running.</summary>
    public static async Task<SweepDto> WaitForSweepAsync(this StudioServer server, int sweepId, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            var sweep = await server.GetAsync<SweepDto>($"/api/sweeps/{sweepId}");
            if (sweep.Status != SweepStatus.Running) return sweep;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Sweep {sweepId} is still running: {string.Join(", ", sweep.Trials.Select(t => t.Status.Name()))}.");
            await Task.Delay(100);
        }
    }
}
