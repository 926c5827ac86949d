using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CharRnn.Inference.Checkpoints;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Api.Queue;

/// <summary>
/// The real server as a process of its own, killed with SIGKILL while a run writes a checkpoint and a metric batch at
/// nearly every step, then started again on the same data folder: the store stays consistent and the run resumes.
/// </summary>
[Slow(SlowBecause.Process)]
public class KillTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-kill-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Killed_mid_run_three_times_the_store_stays_consistent_and_the_run_resumes_to_its_end_without_repeating_a_step()
    {
        int runId;
        long totalSteps;
        using (var first = new ServerProcess(_data))
        {
            await first.WaitUntilUpAsync();
            using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(StudioClient.Repeated(200))), "file", "verse.txt" } };
            var book = (await (await first.Http.PostAsync("/api/books", form)).Content.ReadFromJsonAsync<BookDto>(Json.Options))!;
            // A checkpoint (with optimizer state) every second step, and a metric batch at least every second.
            var created = await first.Http.PostAsJsonAsync("/api/runs", StudioClient.TinyRun(book.Id, StudioClient.Tiny(epochs: 4, evaluateEvery: 2) with { Hidden = 64 }), Json.Options);
            var run = (await created.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
            (runId, totalSteps) = (run.Id, run.TotalSteps);
            await WaitForStepAsync(first, runId, 60);
            first.Kill();
        }

        // Two kills, then a start that waits for the end: the fourth start finds the run completed. A run that never
        // completes fails the test with what each start found, rather than hanging it.
        const int starts = 6;
        var seen = new List<string>();
        for (var round = 1; round <= starts; round++)
        {
            using var server = new ServerProcess(_data);
            await server.WaitUntilUpAsync();
            var run = await server.GetAsync<RunDto>($"/api/runs/{runId}");
            seen.Add($"start {round}: {ContractsJson.Name(run.Status)} at step {run.Step:N0} of {totalSteps:N0}");
            if (run.Status == RunStatus.Completed)
            {
                var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{runId}/metrics");
                Assert.Equal(Enumerable.Range(1, (int)totalSteps).Select(i => (long)i), metrics.Select(m => m.Step)); // every step once
                await AssertStoreConsistentAsync(server, runId);
                output.WriteLine($"completed after {round - 1} restarts");
                return;
            }
            Assert.Equal(RunStatus.Interrupted, run.Status);
            await AssertStoreConsistentAsync(server, runId);
            Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/runs/{runId}/resume", null)).StatusCode);
            if (round < 3)
            {
                // Kill again a little later each time, while it writes.
                await WaitForStepAsync(server, runId, run.Step + 20 + 7 * round);
                server.Kill();
            }
            else
            {
                for (var i = 0; i < 600 && (await server.GetAsync<RunDto>($"/api/runs/{runId}")).Status != RunStatus.Completed; i++) await Task.Delay(200);
                server.Kill();
            }
        }
        Assert.Fail($"The run did not complete in {starts} starts of the server: {string.Join("; ", seen)}.");
    }

    /// <summary>Every listed checkpoint's file reads whole; no temporary file is left beside them; the run's step is its newest checkpoint's or later.</summary>
    private async Task AssertStoreConsistentAsync(ServerProcess server, int runId)
    {
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={runId}");
        Assert.NotEmpty(checkpoints);
        foreach (var c in checkpoints)
        {
            Assert.Equal(CheckpointState.Ok, c.State);
            var path = Path.Combine(_data, "checkpoints", runId.ToString(), $"step-{c.Step:D7}.safetensors");
            Assert.Equal(c.Step, CheckpointFile.Read(path).Training!.Step);
            Assert.True(File.Exists(Path.ChangeExtension(path, ".optim")), $"step {c.Step} has no optimizer state");
        }
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{runId}/metrics");
        Assert.Equal(metrics.Select(m => m.Step).Distinct().Count(), metrics.Count); // no step twice
        output.WriteLine($"consistent: {checkpoints.Count} checkpoints up to step {checkpoints.Max(c => c.Step)}, metrics up to {metrics.LastOrDefault()?.Step}");
    }

    private static async Task WaitForStepAsync(ServerProcess server, int runId, long step)
    {
        for (var i = 0; i < 1200; i++)
        {
            if ((await server.GetAsync<RunDto>($"/api/runs/{runId}")).Step >= step) return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Run {runId} did not reach step {step}.");
    }
}
