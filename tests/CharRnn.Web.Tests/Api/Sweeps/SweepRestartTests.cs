using System.Net;
using System.Net.Http.Json;
using System.Text;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Api.Sweeps;

/// <summary>An in-process sweep whose server is killed with SIGKILL mid-trial: started again, it goes on by itself to its end.</summary>
[Slow(SlowBecause.Process)]
public class SweepRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-sweep-kill-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_sweep_killed_mid_trial_resumes_its_running_trial_and_runs_its_queued_ones_when_the_server_starts_again()
    {
        int sweepId;
        using (var first = new ServerProcess(_data))
        {
            await first.WaitUntilUpAsync();
            using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(StudioClient.Repeated(200))), "file", "verse.txt" } };
            var book = (await (await first.Http.PostAsync("/api/books", form)).Content.ReadFromJsonAsync<BookDto>(Json.Options))!;
            // Three trials one at a time, each a checkpoint every 5 steps for a few seconds.
            var request = new CreateSweepRequest(book.Id, new() { ["learningRate"] = SweepClient.Values(0.01, 0.005, 0.002) },
                Base: SweepClient.Base("quick", ("hidden", 64), ("layers", 1), ("batchSize", 4), ("sequenceLength", 10), ("epochs", 6),
                    ("evaluateEvery", 5), ("evaluationBatches", 0), ("seed", 1), ("device", "cpu"), ("precision", "float32")),
                EarlyStopping: new EarlyStopping());
            var created = await first.Http.PostAsJsonAsync("/api/sweeps", request, Json.Options);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var sweep = (await created.Content.ReadFromJsonAsync<SweepDto>(Json.Options))!;
            sweepId = sweep.Id;
            // Killed while the second trial is past its first checkpoint: one trial ended, one mid-run, one queued.
            var second = sweep.Trials[1];
            for (var i = 0; i < 2400 && (await first.GetAsync<RunDto>($"/api/runs/{second.RunId}")).Step < 12; i++) await Task.Delay(25);
            first.Kill();
            first.Process.WaitForExit();
        }

        using var again = new ServerProcess(_data);
        await again.WaitUntilUpAsync();
        SweepDto after;
        var deadline = DateTime.UtcNow.AddMinutes(4);
        do
        {
            await Task.Delay(200);
            after = await again.GetAsync<SweepDto>($"/api/sweeps/{sweepId}");
        } while (after.Status == SweepStatus.Running && DateTime.UtcNow < deadline);
        output.WriteLine(string.Join("\n", after.Trials.Select(t => $"#{t.Index + 1}: {t.Status.Name()} at {t.Step}/{t.TotalSteps} {t.Reason}")));

        Assert.Equal(SweepStatus.Completed, after.Status);
        Assert.All(after.Trials, t => Assert.Contains(t.Status, new[] { RunStatus.Completed, RunStatus.Stopped }));
        Assert.NotNull(after.BestRunId);
        foreach (var trial in after.Trials)
        {
            var metrics = await again.GetAsync<List<MetricDto>>($"/api/runs/{trial.RunId}/metrics");
            Assert.Equal(Enumerable.Range(1, (int)trial.Step).Select(i => (long)i), metrics.Select(m => m.Step)); // every step once
            Assert.Equal(trial.Rungs.Select(r => r.Rung).Distinct().Count(), trial.Rungs.Count); // each rung judged once
        }
    }
}
