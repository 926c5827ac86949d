using CharRnn.Inference.Checkpoints;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>A run whose loss stops being a number ends failed with the reason, and everything that shows it keeps working.</summary>
public class DivergenceTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-nan-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_run_resumed_from_blown_up_weights_fails_with_the_reason_and_its_pages_still_answer()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1000, evaluateEvery: 10));
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step < 25) await Task.Delay(20);
        await server.Http.PostAsync($"/api/runs/{run.Id}/cancel", null);
        var cancelled = await server.WaitForStatusAsync(run.Id, RunStatus.Cancelled);

        // The weights of its newest checkpoint blow up (as they would after a learning rate far too high).
        var newest = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}")).MaxBy(c => c.Step)!;
        var path = Directory.GetFiles(Path.Combine(_data, "checkpoints", run.Id.ToString()), $"step-{newest.Step:D7}.safetensors").Single();
        var checkpoint = CheckpointFile.Read(path);
        foreach (var tensor in checkpoint.Tensors.Values) Array.Fill(tensor.Values, float.NaN);
        CheckpointFile.Write(path, checkpoint);

        await server.Http.PostAsync($"/api/runs/{run.Id}/resume", null);
        var failed = await server.WaitForStatusAsync(run.Id, RunStatus.Failed);

        Assert.Contains($"loss became NaN at step {newest.Step + 1:N0}", failed.Error);
        Assert.Contains("lower learning rate", failed.Error);
        Assert.Equal(cancelled.Step, failed.Step);
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.TrainLoss)));
        Assert.Equal(newest.Step, metrics.Max(m => m.Step));
        Assert.Contains(await server.GetAsync<List<RunDto>>("/api/runs"), r => r.Id == run.Id && r.Status == RunStatus.Failed);
        Assert.NotEmpty(await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"));
        await using var hub = server.Hub("/hubs/training");
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<RunSnapshot>("Watch", run.Id);
        Assert.Equal(RunStatus.Failed, snapshot.Run.Status);
        var page = await server.Http.GetAsync($"/runs/{run.Id}");
        Assert.True(page.IsSuccessStatusCode);
        Assert.Contains("diverged", await page.Content.ReadAsStringAsync());
    }
}
