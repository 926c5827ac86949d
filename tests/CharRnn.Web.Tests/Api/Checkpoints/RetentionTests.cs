using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Checkpoints;

/// <summary>Disk: a run keeps its best checkpoint and its newest few, and a run can be deleted with its files.</summary>
public class RetentionTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-retention-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_run_keeps_exactly_its_best_and_its_newest_checkpoints_and_their_files()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:KeepCheckpoints"] = "3" });
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 3, evaluateEvery: 10)); // 15 evaluations
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        var bestStep = metrics.Where(m => m.ValLoss is not null).MinBy(m => m.ValLoss)!.Step;

        var kept = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");

        var expected = new[] { 130L, 140, 150 }.Append(bestStep).Distinct().Order();
        Assert.Equal(expected, kept.Select(c => c.Step).Order());
        var folder = Path.Combine(_data, "checkpoints", run.Id.ToString());
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => f!.StartsWith("step-")).Order().ToList();
        Assert.Equal(expected.SelectMany(s => new[] { $"step-{s:D7}.optim", $"step-{s:D7}.safetensors" }).Order(), files);
        Assert.All(kept, c => Assert.Equal(CheckpointState.Ok, c.State));
    }

    [Fact]
    public async Task A_finished_run_is_deleted_with_its_metrics_and_files_and_a_training_one_is_refused()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var done = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(done.Id, RunStatus.Completed);
        var training = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1000, evaluateEvery: 1000));
        await server.WaitForStatusAsync(training.Id, RunStatus.Running);

        var refused = await server.Http.DeleteAsync($"/api/runs/{training.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("cancel it first", await refused.ProblemDetailAsync());

        var deleted = await server.Http.DeleteAsync($"/api/runs/{done.Id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/runs/{done.Id}")).StatusCode);
        Assert.Empty(await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={done.Id}"));
        Assert.False(Directory.Exists(Path.Combine(_data, "checkpoints", done.Id.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync($"/api/runs/{done.Id}")).StatusCode);

        await server.Http.PostAsync($"/api/runs/{training.Id}/cancel", null);
        await server.WaitForStatusAsync(training.Id, RunStatus.Cancelled);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/runs/{training.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_run_does_not_start_when_the_disk_is_short_of_the_free_space_it_needs()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:MinFreeDiskBytes"] = long.MaxValue.ToString() });
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));

        var response = await server.Http.PostAsJsonAsync("/api/runs", StudioClient.TinyRun(book.Id, epochs: 1), Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CharRnn:MinFreeDiskBytes", await response.ProblemDetailAsync());
        Assert.Empty(await server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Fact]
    public async Task A_run_stops_as_failed_with_a_checkpoint_when_the_disk_runs_short_and_resumes_later()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1000, evaluateEvery: 100_000));
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step < 20) await Task.Delay(20);

        server.Live.Change("CharRnn:MinFreeDiskBytes", long.MaxValue.ToString()); // as if the disk filled up
        var failed = await server.WaitForStatusAsync(run.Id, RunStatus.Failed);

        Assert.Contains("CharRnn:MinFreeDiskBytes", failed.Error);
        var kept = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        Assert.Equal(failed.Step, kept.Max(c => c.Step)); // what it had is kept
        server.Live.Change("CharRnn:MinFreeDiskBytes", "0");
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/runs/{run.Id}/resume", null)).StatusCode);
        await server.WaitForStatusAsync(run.Id, RunStatus.Running);
        await server.Http.PostAsync($"/api/runs/{run.Id}/cancel", null);
    }
}
