using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Operations;

/// <summary><c>/metrics</c> in Prometheus format with the app's own metrics, and <c>/health</c> with its details.</summary>
public class ObservabilityTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-metrics-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain <paramref name="labels"/>, or null.</summary>
    private static double? Sample(string scrape, string name, string labels = "")
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name) || !line.Contains(labels)) continue;
            var rest = line[name.Length..];
            if (rest.Length > 0 && rest[0] != '{' && rest[0] != ' ') continue; // a longer name with this prefix
            return double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    [Fact]
    public async Task Metrics_serve_runs_by_status_training_and_sampling_rates_streams_and_watchers()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.TrainedCheckpointAsync(); // one completed run
        var book = (await server.GetAsync<List<BookDto>>("/api/books"))[0];
        var running = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, StudioClient.Tiny(epochs: 400, evaluateEvery: 1000) with { Hidden = 64 }));
        await server.WaitForStatusAsync(running.Id, RunStatus.Running);

        await using var watcher = server.Hub("/hubs/training");
        await watcher.StartAsync();
        await watcher.InvokeAsync<RunSnapshot>("Watch", running.Id);
        await using var sampler = server.Hub("/hubs/sampling");
        await sampler.StartAsync();
        using var stop = new CancellationTokenSource();
        var stream = sampler.StreamAsync<string>("Sample", new SampleRequest(checkpoint, "the", 100_000), stop.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        Assert.True(await stream.MoveNextAsync());

        var scrape = "";
        for (var i = 0; i < 50 && Sample(scrape, "charrnn_training_steps_per_second") is null; i++)
        {
            await Task.Delay(200);
            scrape = await server.Http.GetStringAsync("/metrics");
        }
        stop.Cancel();
        await server.Http.PostAsync($"/api/runs/{running.Id}/cancel", null);

        Assert.Equal(1, Sample(scrape, "charrnn_runs", "status=\"completed\""));
        Assert.Equal(1, Sample(scrape, "charrnn_runs", "status=\"running\""));
        Assert.Equal(0, Sample(scrape, "charrnn_runs", "status=\"failed\""));
        Assert.InRange(Sample(scrape, "charrnn_training_steps_per_second", $"run=\"{running.Id}\"") ?? 0, 0.001, 1e6);
        Assert.InRange(Sample(scrape, "charrnn_training_characters_per_second", $"run=\"{running.Id}\"") ?? 0, 1, 1e9);
        Assert.InRange(Sample(scrape, "charrnn_sampling_characters_total") ?? 0, 1, 1e9);
        Assert.InRange(Sample(scrape, "charrnn_sampling_characters_per_second") ?? 0, 1, 1e9);
        Assert.Equal(1, Sample(scrape, "charrnn_sampling_streams"));
        Assert.Equal(1, Sample(scrape, "charrnn_watchers"));
        Assert.Contains("# TYPE charrnn_sampling_characters_total counter", scrape);
    }

    [Fact]
    public async Task Health_reports_the_store_the_queue_the_device_and_free_disk_space()
    {
        using var server = new StudioServer(_data);

        using var health = JsonDocument.Parse(await server.Http.GetStringAsync("/health"));

        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        var data = health.RootElement.GetProperty("checks").GetProperty("studio").GetProperty("data");
        Assert.Equal("SQLite: answers", data.GetProperty("store").GetString());
        Assert.Equal("running", data.GetProperty("queue").GetString());
        Assert.StartsWith("CPU: ", data.GetProperty("device").GetString());
        Assert.True(data.GetProperty("free disk bytes").GetInt64() > 0);

        // Under the free-space threshold the app is degraded (still 200, so a load balancer keeps it), and says why.
        server.Live.Change("CharRnn:MinFreeDiskBytes", long.MaxValue.ToString());
        var low = await server.Http.GetAsync("/health");
        using var degraded = JsonDocument.Parse(await low.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", degraded.RootElement.GetProperty("status").GetString());
        Assert.Contains("CharRnn:MinFreeDiskBytes", degraded.RootElement.GetProperty("checks").GetProperty("studio").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Each_run_event_is_one_structured_log_line_with_the_run_id()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        await Task.Delay(200); // the last event's subscriber runs after the status is stored

        var lines = server.Logs.All.Where(l => l.Category == typeof(Features.Events.RunEventLog).FullName).ToList();
        Assert.All(lines, l => Assert.Equal(run.Id, l.Fields["RunId"]));
        Assert.Equal(["running", "completed"], lines.Where(l => l.Fields.ContainsKey("Status")).Select(l => l.Fields["Status"]));
        var evaluations = lines.Where(l => l.Fields.ContainsKey("ValLoss")).ToList();
        var checkpoints = lines.Where(l => l.Fields.ContainsKey("CheckpointId")).ToList();
        Assert.NotEmpty(evaluations);
        Assert.Equal((await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}")).Count, checkpoints.Count);
        Assert.Matches(@"^Run \d+ evaluated at step \d+: validation loss \d\.\d{4}$", evaluations[0].Message);
    }
}
