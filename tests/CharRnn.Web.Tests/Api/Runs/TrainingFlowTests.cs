using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>Upload → run → live metrics over /hubs/training → checkpoints → samples, on a real server.</summary>
public class TrainingFlowTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-web-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_run_streams_progress_evaluations_checkpoints_and_its_end_to_a_watcher()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50)); // 2,250 characters: 50 steps an epoch

        await using var hub = server.Hub("/hubs/training");
        var progress = new ConcurrentQueue<MetricDto>();
        var evaluations = new ConcurrentQueue<EvaluationDto>();
        var checkpoints = new ConcurrentQueue<CheckpointDto>();
        var finished = new TaskCompletionSource<string>();
        hub.On<int, MetricDto>("Progress", (_, m) => progress.Enqueue(m));
        hub.On<int, EvaluationDto>("Evaluated", (_, e) => evaluations.Enqueue(e));
        hub.On<int, CheckpointDto>("CheckpointSaved", (_, c) => checkpoints.Enqueue(c));
        hub.On<int, string, string?>("StatusChanged", (_, status, _) => { if (status is "completed" or "failed") finished.TrySetResult(status); });
        await hub.StartAsync();

        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(100, run.TotalSteps);
        await hub.InvokeAsync<RunSnapshot>("Watch", run.Id);

        Assert.Equal("completed", await finished.Task.WaitAsync(TimeSpan.FromMinutes(2)));
        await Task.Delay(200); // the last messages may trail the status by a moment

        var steps = progress.Select(p => p.Step).Distinct().ToList();
        Assert.Equal(100, steps.Max());
        Assert.True(steps.Count >= 90, $"only {steps.Count} progress messages arrived");
        Assert.Equal([10L, 20, 30, 40, 50, 60, 70, 80, 90, 100], evaluations.Select(e => e.Step));
        Assert.All(evaluations, e => Assert.StartsWith("the", e.Sample));
        Assert.Equal(10, checkpoints.Count);

        var final = await server.GetAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(100, final.Step);
        Assert.Equal(evaluations.Min(e => e.ValLoss), final.BestValLoss!.Value, 6);
        Assert.NotNull(final.FinishedAt);

        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), metrics.Select(m => m.Step));
        Assert.Equal(10, metrics.Count(m => m.ValLoss is not null));

        var listed = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        Assert.Equal(checkpoints.Select(c => c.Id).Order(), listed.Select(c => c.Id).Order());
        Assert.True(File.Exists(Path.Combine(_data, "studio.db")));
    }

    [Fact]
    public async Task A_watcher_who_joins_mid_run_gets_the_history_then_live_points()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 40, evaluateEvery: 500));

        // Wait until the run is well under way, then join.
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step < 200) await Task.Delay(50);
        await using var late = server.Hub("/hubs/training");
        var live = new ConcurrentQueue<MetricDto>();
        late.On<int, MetricDto>("Progress", (_, m) => live.Enqueue(m));
        await late.StartAsync();
        var snapshot = await late.InvokeAsync<RunSnapshot>("Watch", run.Id);

        Assert.Equal(RunStatus.Running, snapshot.Run.Status);
        Assert.True(snapshot.Metrics.Count >= 200);
        Assert.Equal(Enumerable.Range(1, snapshot.Metrics.Count).Select(i => (long)i), snapshot.Metrics.Select(m => m.Step));

        while (live.Count < 20) await Task.Delay(20);
        // History and live points together: every step from 1 on, none missing.
        var all = snapshot.Metrics.Select(m => m.Step).Concat(live.Select(m => m.Step)).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all);
        Assert.True(live.Last().Step > snapshot.Metrics[^1].Step);

        await server.Http.PostAsync($"/api/runs/{run.Id}/cancel", null);
        await server.WaitForStatusAsync(run.Id, RunStatus.Cancelled);
    }

    [Fact]
    public async Task Samples_come_from_a_checkpoint_over_rest_and_stream_over_the_sampling_hub_alike()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}")).Last();

        var request = new SampleRequest(checkpoint.Id, "the ", 300, 0.8, 5, 42);
        var response = await server.Http.PostAsJsonAsync("/api/samples", request, Json.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sample = (await response.Content.ReadFromJsonAsync<SampleResponse>(Json.Options))!;
        Assert.Equal(42, sample.Seed);
        Assert.StartsWith("the ", sample.Text);
        Assert.Equal(4 + 300, sample.Text.Length);

        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        var chunks = new List<string>();
        await foreach (var chunk in hub.StreamAsync<string>("Sample", request)) chunks.Add(chunk);

        Assert.StartsWith("the ", chunks[0]);
        Assert.True(chunks.Count > 1, "the text should arrive in several chunks");
        Assert.Equal(sample.Text, string.Concat(chunks));
    }

    [Fact]
    public async Task Cancel_stops_with_a_checkpoint_and_resume_continues_from_it()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 40, evaluateEvery: 500));
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step < 30) await Task.Delay(20);

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        var cancelled = await server.WaitForStatusAsync(run.Id, RunStatus.Cancelled);
        // The newest checkpoint is the one cancelling saved (an epoch's end may have saved one before it).
        var saved = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}")).MaxBy(c => c.Step)!;
        Assert.Equal(cancelled.Step, saved.Step);

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/runs/{run.Id}/resume", null)).StatusCode);
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step < saved.Step + 20) await Task.Delay(20);
        await server.Http.PostAsync($"/api/runs/{run.Id}/cancel", null);
        await server.WaitForStatusAsync(run.Id, RunStatus.Cancelled);

        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        var steps = metrics.Select(m => m.Step).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count);
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps); // continued at saved + 1, no gap, no repeat
    }

    [Fact]
    public async Task A_restart_mid_run_leaves_it_interrupted_and_resume_finishes_it()
    {
        int runId;
        long stoppedAt;
        using (var first = new StudioServer(_data))
        {
            var book = await first.UploadBookAsync(StudioClient.Repeated(50));
            // 2,000 steps: long enough that the run is still training when the server stops.
            runId = (await first.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 40, evaluateEvery: 5000))).Id;
            while ((await first.GetAsync<RunDto>($"/api/runs/{runId}")).Step < 20) await Task.Delay(20);
        } // the server stops: the run saves a checkpoint on its way out

        using var second = new StudioServer(_data);
        var interrupted = await second.GetAsync<RunDto>($"/api/runs/{runId}");
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Contains("Resume it", interrupted.Error);
        stoppedAt = interrupted.Step;

        await second.Http.PostAsync($"/api/runs/{runId}/resume", null);
        var done = await second.WaitForStatusAsync(runId, RunStatus.Completed);
        Assert.Equal(2000, done.Step);
        var steps = (await second.GetAsync<List<MetricDto>>($"/api/runs/{runId}/metrics")).Select(m => m.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), steps);
        Assert.True(stoppedAt >= 20);
    }

    [Fact]
    public async Task After_a_crash_mid_run_the_run_is_interrupted_and_resume_redoes_the_steps_after_its_newest_checkpoint()
    {
        int runId;
        using (var first = new StudioServer(_data))
        {
            var book = await first.UploadBookAsync(StudioClient.Repeated(50));
            runId = (await first.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1, evaluateEvery: 20))).Id;
            await first.WaitForStatusAsync(runId, RunStatus.Completed); // checkpoints at steps 20, 40 and 50
        }

        // Make the store look as a crash would leave it: still "running", and steps written after the newest checkpoint.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "studio.db")}"))
        {
            await db.OpenAsync();
            var command = db.CreateCommand();
            command.CommandText = $"""
                DELETE FROM Checkpoints WHERE RunId = {runId} AND Step = 50;
                UPDATE Runs SET Status = 'Running', FinishedAt = NULL WHERE Id = {runId};
                """;
            await command.ExecuteNonQueryAsync();
        }
        File.Delete(Path.Combine(_data, "checkpoints", runId.ToString(), "step-0000050.safetensors"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using var second = new StudioServer(_data);
        var interrupted = await second.GetAsync<RunDto>($"/api/runs/{runId}");
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);

        await second.Http.PostAsync($"/api/runs/{runId}/resume", null);
        var done = await second.WaitForStatusAsync(runId, RunStatus.Completed);
        Assert.Equal(50, done.Step);
        var steps = (await second.GetAsync<List<MetricDto>>($"/api/runs/{runId}/metrics")).Select(m => m.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), steps); // 41-50 redone once, not twice
        var checkpoints = await second.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={runId}");
        Assert.Equal([20L, 40, 50], checkpoints.Select(c => c.Step));
    }
}
