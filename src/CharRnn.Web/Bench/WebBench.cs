using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CharRnn.Inference;
using CharRnn.Training;
using CharRnn.Training.Benchmarks;
using CharRnn.Web.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Bench;

/// <summary>
/// <c>dotnet run -c Release --project src/CharRnn.Web -- bench</c>: starts the app on 127.0.0.1 with a data folder
/// of its own and measures, as a client sees it, (a) the characters/s that <c>/hubs/sampling</c> delivers for a
/// 2×512 model, alone and while a run trains, and (b) that run's steps/s with and without the sampling.
/// </summary>
public static class WebBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sampleChars = IntArg(args, "--sample-chars", 20_000);
        var window = TimeSpan.FromSeconds(IntArg(args, "--window-seconds", 40));
        var output = StringArg(args, "--output", "docs/benchmarks.md");
        await using var host = await BenchHost.StartAsync();
        var address = host.Address;
        using var http = new HttpClient { BaseAddress = address };
        void Log(string line) => Console.WriteLine(line);
        Log($"Machine: {BenchmarkReport.Machine()}; server at {address}");

        var checkpointId = await BenchHost.ImportRandomModelAsync(address);
        Log($"2×512 model with random weights imported as checkpoint {checkpointId}");
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(address, "/hubs/sampling")).Build();
        await hub.StartAsync();
        await StreamAsync(hub, checkpointId, 3000); // warm-up: the JIT's tiers, the weights' cache
        var alone = await StreamAsync(hub, checkpointId, sampleChars);
        Log($"sampling alone: {alone:N0} chars/s received");

        var runId = await StartTrainingAsync(http);
        Log($"training run {runId} (the notebook's 2×512, batch 128×100) started; waiting for it to warm up…");
        await WaitForStepAsync(http, runId, 3);
        var (trainAloneFrom, trainAloneTo) = (DateTime.UtcNow, DateTime.UtcNow + window);
        await Task.Delay(window);
        Log("sampling while it trains…");
        var during = new List<double>();
        var samplingFrom = DateTime.UtcNow;
        while (DateTime.UtcNow - samplingFrom < window) during.Add(await StreamAsync(hub, checkpointId, sampleChars));
        var samplingTo = DateTime.UtcNow;
        var metrics = (await http.GetFromJsonAsync<List<MetricDto>>($"/api/runs/{runId}/metrics"))!;
        await http.PostAsync($"/api/runs/{runId}/cancel", null);

        var stepsAlone = StepsPerSecond(metrics, trainAloneFrom, trainAloneTo);
        var stepsDuring = StepsPerSecond(metrics, samplingFrom, samplingTo);
        var whileTraining = during.Average();
        Log($"sampling while training: {whileTraining:N0} chars/s; training {stepsAlone:F3} steps/s alone, {stepsDuring:F3} while sampling");

        var table = BenchmarkReport.Table(
        [
            ("Sampling hub, 2×512, machine idle", $"{alone:N0} chars/s", "≥ 2,000", alone >= 2000),
            ("Sampling hub, 2×512, while a run trains", $"{whileTraining:N0} chars/s", "", null),
            ("Training (notebook's 2×512, 128×100), no sampling", $"{stepsAlone:F3} steps/s", "", null),
            ("Training, while a client streams samples", $"{stepsDuring:F3} steps/s ({stepsDuring / stepsAlone - 1:+0%;-0%})", "", null),
        ]);
        Console.WriteLine();
        Console.WriteLine(table);
        if (output != "-")
        {
            BenchmarkReport.WriteSection(RepositoryPath.Resolve(output), "web",
                "## Web: streamed sampling and training side by side (`CharRnn.Web bench`)\n\n"
                + $"Command: `{string.Join(" ", ["dotnet run -c Release --project src/CharRnn.Web -- bench", .. args])}`\n\n"
                + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchmarkReport.Machine()}. The app ran on 127.0.0.1 with its defaults "
                + $"(training on {Math.Max(1, Environment.ProcessorCount - 1)} libtorch thread(s), one core left to the server and samplers); "
                + "the client was a C# SignalR client in the same process. Characters/s count what the client received, from the request to the last chunk; "
                + $"steps/s come from the run's own step timestamps in {window.TotalSeconds:N0}-second windows.\n\n" + table);
            Console.WriteLine($"Written to {output}");
        }
        return 0;
    }

    /// <summary>Characters/s a client receives for one streamed sample (the prime excluded).</summary>
    private static async Task<double> StreamAsync(HubConnection hub, int checkpointId, int length)
    {
        var clock = Stopwatch.StartNew();
        var received = 0;
        await foreach (var chunk in hub.StreamAsync<string>("Sample", new SampleRequest(checkpointId, "!", length, 1.0, 5, 1)))
            received += chunk.Length;
        return (received - 1) / clock.Elapsed.TotalSeconds;
    }

    internal static async Task<int> StartTrainingAsync(HttpClient http, int epochs = 20, int characters = 2_000_000)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(SyntheticText.Create(characters))), "file", "synthetic.txt" } };
        var book = await (await http.PostAsync("/api/books", form)).Content.ReadFromJsonAsync<BookDto>(JsonSerializerOptions.Web);
        var response = await http.PostAsJsonAsync("/api/runs", new CreateRunRequest(book!.Id, "bench", Epochs: epochs, EvaluateEvery: 100_000, Seed: 1, Device: "cpu"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>(JsonSerializerOptions.Web))!.Id;
    }

    internal static async Task WaitForStepAsync(HttpClient http, int runId, long step)
    {
        while ((await http.GetFromJsonAsync<RunDto>($"/api/runs/{runId}", JsonSerializerOptions.Web))!.Step < step) await Task.Delay(500);
    }

    /// <summary>Steps finished inside the window, over the time between the first and the last of them.</summary>
    internal static double StepsPerSecond(IReadOnlyList<MetricDto> metrics, DateTime from, DateTime to)
    {
        var inside = metrics.Where(m => m.At >= from && m.At <= to).OrderBy(m => m.Step).ToList();
        if (inside.Count < 2) return double.NaN;
        return (inside.Count - 1) / (inside[^1].At - inside[0].At).TotalSeconds;
    }

    internal static int IntArg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;

    internal static string StringArg(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
