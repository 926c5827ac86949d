using System.CommandLine;
using System.Diagnostics;
using CharRnn.Bench.Reports;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Bench.Web;

/// <summary>
/// <c>charrnn-bench web</c>: starts the app on 127.0.0.1 with a data folder of its own and measures, as a client sees
/// it, (a) the characters/s that <c>/hubs/sampling</c> delivers for a 2×512 model, alone and while a run trains, and
/// (b) that run's steps/s with and without the sampling.
/// </summary>
public static class WebBench
{
    private static readonly Option<int> SampleChars = new("--sample-chars") { Description = "Characters each streamed sample draws.", DefaultValueFactory = _ => 20_000 };
    private static readonly Option<int> WindowSeconds = new("--window-seconds") { Description = "Seconds of training measured alone, then while sampling.", DefaultValueFactory = _ => 40 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("web", "Measure streamed sampling from the hub and training side by side in the running app.") { SampleChars, WindowSeconds, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var sampleChars = parse.GetValue(SampleChars);
        var window = TimeSpan.FromSeconds(parse.GetValue(WindowSeconds));
        await using var host = await BenchHost.StartAsync();
        var address = host.Address;
        using var http = new HttpClient { BaseAddress = address };
        void Log(string line) => Console.WriteLine(line);
        Log($"Machine: {BenchmarkReport.Machine()}; server at {address}");

        var checkpointId = await BenchHost.ImportRandomModelAsync(address);
        Log($"2×512 model with random weights imported as checkpoint {checkpointId}");
        await using var hub = BenchClient.Hub(address, "/hubs/sampling");
        await hub.StartAsync();
        await StreamAsync(hub, checkpointId, 3000); // warm-up: the JIT's tiers, the weights' cache
        var alone = await StreamAsync(hub, checkpointId, sampleChars);
        Log($"sampling alone: {alone:N0} chars/s received");

        var runId = await BenchClient.StartTrainingAsync(http);
        Log($"training run {runId} (the notebook's 2×512, batch 128×100) started; waiting for it to warm up…");
        await BenchClient.WaitForStepAsync(http, runId, 3);
        var (trainAloneFrom, trainAloneTo) = (DateTime.UtcNow, DateTime.UtcNow + window);
        await Task.Delay(window);
        Log("sampling while it trains…");
        var during = new List<double>();
        var samplingFrom = DateTime.UtcNow;
        while (DateTime.UtcNow - samplingFrom < window) during.Add(await StreamAsync(hub, checkpointId, sampleChars));
        var samplingTo = DateTime.UtcNow;
        var metrics = await BenchClient.MetricsAsync(http, runId);
        await http.PostAsync($"/api/runs/{runId}/cancel", null);

        var stepsAlone = BenchClient.StepsPerSecond(metrics, trainAloneFrom, trainAloneTo);
        var stepsDuring = BenchClient.StepsPerSecond(metrics, samplingFrom, samplingTo);
        var whileTraining = during.Average();
        Log($"sampling while training: {whileTraining:N0} chars/s; training {stepsAlone:F3} steps/s alone, {stepsDuring:F3} while sampling");

        var table = BenchmarkReport.Table(
        [
            ("Sampling hub, 2×512, machine idle", $"{alone:N0} chars/s", "≥ 2,000", alone >= 2000),
            ("Sampling hub, 2×512, while a run trains", $"{whileTraining:N0} chars/s", "", null),
            ("Training (notebook's 2×512, 128×100), no sampling", $"{stepsAlone:F3} steps/s", "", null),
            ("Training, while a client streams samples", $"{stepsDuring:F3} steps/s ({stepsDuring / stepsAlone - 1:+0%;-0%})", "", null),
        ]);
        BenchmarkReport.Write(parse.GetValue(Output)!, "web", "Web: streamed sampling and training side by side (`web`)",
            ". The app ran on 127.0.0.1 with its defaults "
            + $"(training on {Math.Max(1, Environment.ProcessorCount - 1)} libtorch thread(s), one core left to the server and samplers); "
            + "the client was a C# SignalR client in the same process. Characters/s count what the client received, from the request to the last chunk; "
            + $"steps/s come from the run's own step timestamps in {window.TotalSeconds:N0}-second windows.", table);
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
}
