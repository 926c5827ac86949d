using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Api.Queue;

/// <summary>The New run page's time estimate (<c>POST /api/runs/estimate</c>) against a real run on the same server.</summary>
public class EstimateTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-estimate-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>2×128 at batch 32 × 50 on 148,500 characters: 83 steps an epoch, each some tens of milliseconds.</summary>
    private static readonly TrainingOptions Short = new()
    {
        Hidden = 128, Layers = 2, Dropout = 0.2, LearningRate = 0.002, BatchSize = 32, SequenceLength = 50,
        Epochs = 2, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = 20, Seed = 1, Device = DeviceChoice.Cpu,
    };

    private static CreateRunRequest ShortRun(int bookId) => CreateRunRequest.For(bookId, Short, "short");

    [Fact]
    public async Task The_estimate_is_timed_from_the_model_and_counts_the_steps_and_evaluations_of_the_real_run()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(3300));
        var request = ShortRun(book.Id);

        var estimate = await EstimateAsync(server, request);
        var run = await server.CreateRunAsync(request);
        while (run.Status.IsActive())
        {
            await Task.Delay(200);
            run = await server.GetAsync<RunDto>($"/api/runs/{run.Id}");
        }
        var measured = (run.FinishedAt!.Value - run.StartedAt!.Value).TotalSeconds;
        output.WriteLine($"estimated {estimate.Seconds:F1} s ({estimate.Basis}), measured {measured:F1} s: ratio {estimate.Seconds / measured:F2}");

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.True(estimate.Measured);
        Assert.Equal(run.TotalSteps, estimate.Steps);
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics");
        Assert.Equal(metrics.Count(m => m.ValLoss is not null), estimate.Evaluations);
        // How near the estimate lands is a speed figure, so the benchmark judges it (`charrnn-bench estimate`, side
        // by side on a quiet machine): here xUnit runs other classes' training beside the few timed steps, and the
        // ratio drifted past any bound we set (2.06 in CI). This test holds what does not depend on the clock.
        Assert.True(estimate.Seconds > 0);
    }

    [Fact]
    public async Task Each_precision_is_timed_in_that_precision()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(3300));

        var float32 = await EstimateAsync(server, ShortRun(book.Id));
        var bfloat16 = await EstimateAsync(server, CreateRunRequest.For(book.Id, Short with { Precision = PrecisionChoice.Bfloat16 }, "short"));
        output.WriteLine($"float32 {float32.Seconds:F1} s, bfloat16 {bfloat16.Seconds:F1} s");

        Assert.True(float32.Measured && bfloat16.Measured);
        // Two timings, one per precision: the same shape in bfloat16 is not the float32 figure read from the cache.
        var timed = server.Logs.All.Where(l => l.Message.StartsWith("Timed 2×128")).Select(l => l.Fields["Precision"]).ToList();
        Assert.Equal(["float32", "bfloat16"], timed);
    }

    [Fact]
    public async Task While_a_run_trains_the_estimate_is_rough_and_says_why()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(3300));
        var busy = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 100, evaluateEvery: 100_000));
        while ((await server.GetAsync<RunDto>($"/api/runs/{busy.Id}")).Status != RunStatus.Running) await Task.Delay(50);

        var estimate = await EstimateAsync(server, CreateRunRequest.For(book.Id, Short with { Hidden = 96 }, "short"));

        Assert.False(estimate.Measured);
        Assert.Contains("a run is training", estimate.Basis);
        Assert.True(estimate.Seconds > 0);
        await server.Http.PostAsync($"/api/runs/{busy.Id}/cancel", null);
    }

    [Fact]
    public async Task Options_that_do_not_fit_the_book_get_the_reason_instead_of_an_estimate()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(20));

        var response = await server.Http.PostAsJsonAsync("/api/runs/estimate", ShortRun(book.Id), Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too short for one batch", await response.Content.ReadAsStringAsync());
    }

    private static async Task<RunEstimate> EstimateAsync(StudioServer server, CreateRunRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/runs/estimate", request, Json.Options);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunEstimate>(Json.Options))!;
    }
}
