using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>
/// A run that stops learning says so (<c>health</c> on the run), on tiny models: a rate far too high, a large model on a
/// tiny book, a healthy run; the book's letter-frequency line; and the one-click remedy.
/// </summary>
public class RunHealthTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-health-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_books_frequency_line_is_the_entropy_of_its_training_splits_letters()
    {
        using var server = new StudioServer(_data);
        // The default split keeps the first 90 % for training: 900 characters, "a" 600 times, "b" 200, "c" 100.
        var train = new string('a', 600) + new string('b', 200) + new string('c', 100);
        var book = await server.UploadBookAsync(train + string.Concat(Enumerable.Repeat("abcd", 25)));
        var entropy = -new[] { 600.0, 200, 100 }.Sum(c => c / 900 * Math.Log(c / 900));

        Assert.Equal(entropy, book.FrequencyLoss!.Value, 9);
        Assert.Equal(entropy, (await server.GetAsync<List<BookDto>>("/api/books")).Single().FrequencyLoss!.Value, 9);
    }

    [Fact]
    public async Task A_learning_rate_of_one_is_flagged_and_the_warning_names_the_rate_and_the_remedy_halves_it()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(20_000));
        var options = StudioClient.Tiny(epochs: 3) with { LearningRate = 1.0, Hidden = 64, BatchSize = 8, SequenceLength = 20, EvaluateEvery = 100 };
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, options, "too fast"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.NotNull(ended.Health);
        Assert.Contains(ended.Health!.Condition, new[] { HealthCondition.Stuck, HealthCondition.Diverging });
        Assert.Contains("learning rate (1)", ended.Health.Detail);
        Assert.InRange(ended.Health.Since, 1, 400);
        // /metrics counts runs by condition.
        var scrape = await server.Http.GetStringAsync("/metrics");
        var healthLines = scrape.Split('\n').Where(l => l.StartsWith("charrnn_runs_health")).ToList();
        Assert.True(healthLines.Any(l => l.Contains($"condition=\"{ContractsJson.Name(ended.Health.Condition)}\"") && l.Split(' ')[^1] == "1"), string.Join("\n", healthLines));

        var remedy = await server.Http.PostAsync($"/api/runs/{run.Id}/remedy", null);
        Assert.Equal(HttpStatusCode.Created, remedy.StatusCode);
        var next = (await remedy.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
        Assert.Equal(0.5, next.Options.LearningRate);
        Assert.Equal(run.Id, next.RemedyOf);
        Assert.Equal(options with { LearningRate = 0.5 }, next.Options with { });
        await server.Http.PostAsync($"/api/runs/{next.Id}/cancel", null);
    }

    [Slow(SlowBecause.Training)]
    [Fact]
    public async Task A_large_model_on_a_tiny_book_is_flagged_overfitting_and_names_its_best_checkpoint()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(3_000));
        var options = StudioClient.Tiny(epochs: 20) with { Hidden = 256, Layers = 2, LearningRate = 0.005, BatchSize = 4, SequenceLength = 25, EvaluateEvery = 10 };
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, options, "memoriser"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal(HealthCondition.Overfitting, ended.Health?.Condition);
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        var best = checkpoints.Where(c => c.ValLoss is not null).MinBy(c => c.ValLoss)!;
        Assert.Contains($"The best checkpoint is at step {best.Step:N0}", ended.Health!.Detail);
        Assert.Equal(HealthRemedy.ResumeFromBest, ended.Health.Remedy);

        // Its remedy resumes from that checkpoint with more dropout: the history up to it, then steps of its own to the end.
        var remedy = await server.Http.PostAsync($"/api/runs/{run.Id}/remedy", null);
        Assert.Equal(HttpStatusCode.Created, remedy.StatusCode);
        var next = (await remedy.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
        Assert.Equal((run.Id, best.Step, best.Step), (next.RemedyOf!.Value, next.RemedyFromStep!.Value, next.Step));
        Assert.Equal(RemedyPlan.For(HealthCondition.Overfitting, options).Options, next.Options);
        Assert.Equal(options.Dropout + RemedyPlan.DropoutStep, next.Options.Dropout, 9);
        // It starts with a copy of that checkpoint (kept later only while it is the new run's best).
        Assert.Equal(best.ValLoss, (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={next.Id}")).Single(c => c.Step == best.Step).ValLoss);
        // Twenty steps of its own show where it started; a cancel then ends it with a checkpoint (the rest is ordinary training).
        await server.WaitForStepAsync(next.Id, best.Step + 20);
        await server.Http.PostAsync($"/api/runs/{next.Id}/cancel", null);
        var resumed = await server.WaitForStatusAsync(next.Id, RunStatus.Cancelled, RunStatus.Completed, RunStatus.Failed);
        Assert.NotEqual(RunStatus.Failed, resumed.Status);

        var before = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        var after = await server.GetAsync<List<MetricDto>>($"/api/runs/{next.Id}/metrics");
        Assert.Equal(before.Where(m => m.Step <= best.Step).Select(m => (m.Step, m.TrainLoss)), after.Where(m => m.Step <= best.Step).Select(m => (m.Step, m.TrainLoss)));
        Assert.Equal(Enumerable.Range(1, (int)resumed.Step).Select(i => (long)i), after.Select(m => m.Step));
        // The first step after the copy starts from the best checkpoint's weights, not from scratch.
        Assert.True(after.Single(m => m.Step == best.Step + 1).TrainLoss < before[0].TrainLoss - 0.5, $"{after.Single(m => m.Step == best.Step + 1).TrainLoss} after the copy, {before[0].TrainLoss} at the first step");
        var nextCheckpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={next.Id}");
        Assert.Contains(nextCheckpoints, c => c.Step == resumed.Step);
    }

    [Fact]
    public async Task A_run_stuck_past_its_setting_stops_with_the_reason()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Health:StopStuckAfterSteps"] = "100" });
        var book = await server.UploadBookAsync(StudioClient.Noise(20_000));
        var options = StudioClient.Tiny(epochs: 6) with { Hidden = 32, BatchSize = 8, SequenceLength = 20, EvaluateEvery = 100 };
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, options, "stuck"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Failed, RunStatus.Stopped);

        Assert.Equal(RunStatus.Stopped, ended.Status);
        Assert.Equal(HealthCondition.Stuck, ended.Health?.Condition);
        Assert.Contains("stuck at the level of guessing letters by their frequency", ended.StopReason);
        Assert.Contains("CharRnn:Health:StopStuckAfterSteps is 100", ended.StopReason);
        // It stops once stuck for 100 steps at the level, and flagged: the flag waits for the warm-up (150 steps).
        var due = Math.Max(ended.Health!.Since + 99, 150);
        Assert.InRange(ended.Step, due, due + 5);
        Assert.True(ended.Step < ended.TotalSteps);
        // It stopped with a checkpoint, so it can be resumed like any stopped run.
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        Assert.Equal(ended.Step, checkpoints.Max(c => c.Step));
    }

    [Fact]
    public async Task A_healthy_run_raises_no_flag()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(20_000));
        var options = StudioClient.Tiny(epochs: 2) with { Hidden = 64, BatchSize = 8, SequenceLength = 20, LearningRate = 0.01, EvaluateEvery = 50 };
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, options, "healthy"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed);

        Assert.Null(ended.Health);
    }

    [Fact]
    public async Task A_sweeps_stuck_trial_stops_by_default_and_a_plain_run_does_not()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Noise(40_000));
        var sweep = await server.WaitForSweepAsync((await server.CreateSweepAsync(new CreateSweepRequest(book.Id,
            new() { ["learningRate"] = SweepClient.Values(0.01) }, Name: "noise",
            Base: SweepClient.Base("quick", ("hidden", 32), ("layers", 1), ("dropout", 0), ("batchSize", 8), ("sequenceLength", 20), ("epochs", 2),
                ("evaluateEvery", 100), ("schedule", "constant"), ("seed", 1), ("device", "cpu"), ("precision", "float32"))))).Id);
        var trial = await server.GetAsync<RunDto>($"/api/runs/{sweep.Trials.Single().RunId}");
        Assert.Equal((RunStatus.Stopped, HealthCondition.Stuck), (trial.Status, trial.Health?.Condition));
        Assert.Contains("CharRnn:Health:StopStuckTrialsAfterSteps is 300", trial.StopReason);
        Assert.InRange(trial.Step, trial.Health!.Since + 299, trial.Health.Since + 305);

        // The same options as a plain run train to the end, stuck and flagged.
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, trial.Options, "noise"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Stopped, RunStatus.Failed);
        Assert.Equal((RunStatus.Completed, HealthCondition.Stuck, null), (ended.Status, ended.Health?.Condition, ended.StopReason));
    }
}
