using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>The API's preset field, and a run that estimates on a subset of validation batches between epoch ends.</summary>
public class PresetApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-preset-api-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_fast_preset_fills_what_the_request_leaves_out_and_only_epoch_ends_rank_checkpoints()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50)); // 50 steps an epoch of 4 × 10; 5 validation batches
        // The preset's schedule and evaluation settings, on a tiny model so the test takes seconds.
        var request = StudioClient.TinyRun(book.Id, epochs: 2, "fast", ("learningRate", null), ("evaluationBatches", 2), ("dropout", 0.5));

        var run = await server.CreateRunAsync(request);
        var done = await server.WaitForStatusAsync(run.Id, RunStatus.Completed);

        Assert.Equal(TrainingPresets.Fast.Options.Schedule, done.Options.Schedule);
        Assert.Equal(TrainingPresets.Fast.Options.LearningRate, done.Options.LearningRate);
        Assert.Equal(TrainingPresets.Fast.Options.WarmupSteps, done.Options.WarmupSteps);
        Assert.Equal(2, done.Options.EvaluationBatches);
        Assert.Equal(16, done.Options.Hidden); // the request's own fields win
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        Assert.Contains(checkpoints, c => c.Step % 50 != 0);
        Assert.All(checkpoints, c => Assert.Equal(c.Step % 50 == 0, c.ValLoss is not null));
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        Assert.Equal(metrics.Where(m => m.Step % 50 == 0).Min(m => m.ValLoss), done.BestValLoss);
        Assert.Equal(10, metrics.Count(m => m.ValLoss is not null)); // steps 10, 20, … 100: estimates show on the chart too
    }

    [Fact]
    public async Task An_unknown_preset_is_refused_by_name_and_zero_batches_asks_for_the_whole_split()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));

        var refused = await server.Http.PostAsJsonAsync("/api/runs", StudioClient.TinyRun(book.Id, 1, "fastest"), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("There is no preset 'fastest'; the presets are notebook, fast, hour, quick, finetune.", await refused.ProblemDetailAsync());

        var whole = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1, "fast", ("evaluationBatches", 0)));
        Assert.Null(whole.Options.EvaluationBatches);
        var notebook = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1));
        Assert.Equal(ScheduleKind.Constant, notebook.Options.Schedule);
        Assert.Null(notebook.Options.EvaluationBatches);
        // Best in an hour is offered by its key too: its cosine from 0.006 and auto precision under the tiny model.
        var hour = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1, "hour", ("learningRate", null)));
        Assert.Equal((ScheduleKind.Cosine, 0.006, PrecisionChoice.Auto), (hour.Options.Schedule, hour.Options.LearningRate, hour.Options.Precision));
    }
}
