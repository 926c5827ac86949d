using System.Net.Http.Json;
using CharRnn.Bench.Engine;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Bench.Web;

/// <summary>What the web benches do with the app's REST API, as a script would.</summary>
internal static class BenchClient
{
    /// <summary>A client of one of the app's hubs (<c>/hubs/training</c>, <c>/hubs/sampling</c>), speaking its JSON.</summary>
    public static HubConnection Hub(Uri address, string path) =>
        new HubConnectionBuilder().WithUrl(new Uri(address, path)).AddJsonProtocol(o => ContractsJson.Configure(o.PayloadSerializerOptions)).Build();

    public static async Task<BookDto> UploadAsync(HttpClient http, byte[] text, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(text), "file", name } };
        return (await (await http.PostAsync("/api/books", form)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<BookDto>(ContractsJson.Options))!;
    }

    public static async Task<RunDto> CreateRunAsync(HttpClient http, CreateRunRequest request) =>
        (await (await http.PostAsJsonAsync("/api/runs", request, ContractsJson.Options)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RunDto>(ContractsJson.Options))!;

    public static async Task<RunDto> RunAsync(HttpClient http, int runId) =>
        (await http.GetFromJsonAsync<RunDto>($"/api/runs/{runId}", ContractsJson.Options))!;

    public static async Task<List<MetricDto>> MetricsAsync(HttpClient http, int runId, string query = "") =>
        (await http.GetFromJsonAsync<List<MetricDto>>($"/api/runs/{runId}/metrics{query}", ContractsJson.Options))!;

    /// <summary>The notebook's model on synthetic text, one evaluation at most: a run that only trains.</summary>
    public static async Task<int> StartTrainingAsync(HttpClient http, int epochs = 20, int characters = 2_000_000)
    {
        var book = await UploadAsync(http, System.Text.Encoding.UTF8.GetBytes(SyntheticText.Create(characters)), "synthetic.txt");
        var options = TrainingPresets.Notebook.Options with { Epochs = epochs, EvaluateEvery = 100_000, Seed = 1, Device = DeviceChoice.Cpu };
        return (await CreateRunAsync(http, CreateRunRequest.For(book.Id, options, "bench"))).Id;
    }

    public static async Task WaitForStepAsync(HttpClient http, int runId, long step)
    {
        while ((await RunAsync(http, runId)).Step < step) await Task.Delay(500);
    }

    /// <summary>Steps finished inside the window, over the time between the first and the last of them.</summary>
    public static double StepsPerSecond(IReadOnlyList<MetricDto> metrics, DateTime from, DateTime to)
    {
        var inside = metrics.Where(m => m.At >= from && m.At <= to).OrderBy(m => m.Step).ToList();
        if (inside.Count < 2) return double.NaN;
        return (inside.Count - 1) / (inside[^1].At - inside[0].At).TotalSeconds;
    }
}
