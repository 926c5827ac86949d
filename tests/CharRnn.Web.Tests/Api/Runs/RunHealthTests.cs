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
}
