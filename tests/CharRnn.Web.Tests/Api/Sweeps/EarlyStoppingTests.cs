using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Api.Sweeps;

/// <summary>
/// Successive halving through the API, on tiny models over the start of anna.txt, one trial at a time so that every
/// decision repeats: it finds the grid's best trial in a fraction of the steps, and says why each stopped trial stopped.
/// </summary>
[Slow(SlowBecause.Training)]
public class EarlyStoppingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-sweep-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>
    /// 3 rates × 3 sizes of a 1-layer model, one epoch each (rungs after 1/9, 1/3 and all of it), evaluated only at the
    /// rungs and the end; ordered so that the best trial comes fifth, judged against four before it.
    /// </summary>
    private static CreateSweepRequest Grid(int bookId, EarlyStopping? stopping) => new(
        bookId,
        new() { ["learningRate"] = SweepClient.Values(0.005, 0.02, 0.001), ["hidden"] = SweepClient.Values(16, 32, 8) },
        Name: stopping is null ? "full grid" : "asha grid",
        Base: SweepClient.Base("quick", ("layers", 1), ("dropout", 0), ("batchSize", 8), ("sequenceLength", 20), ("epochs", 1),
            ("evaluateEvery", 100_000), ("evaluationBatches", 0), ("schedule", "constant"), ("seed", 1), ("device", "cpu"), ("precision", "float32")),
        EarlyStopping: stopping);

    [Fact]
    public async Task A_nine_trial_grid_with_successive_halving_finds_the_full_grids_best_trial_in_at_most_60_percent_of_its_steps()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(20_000));

        var full = await server.WaitForSweepAsync((await server.CreateSweepAsync(Grid(book.Id, null))).Id);
        var asha = await server.WaitForSweepAsync((await server.CreateSweepAsync(Grid(book.Id, new EarlyStopping()))).Id);

        foreach (var t in asha.Trials)
            output.WriteLine($"#{t.Index + 1} {string.Join(", ", t.Parameters.Select(p => $"{p.Key} {p.Value}"))}: {t.Status.Name()} at step {t.Step}/{t.TotalSteps}, "
                + $"best {t.BestValLoss:F4}; {string.Join("; ", t.Rungs.Select(r => $"rung {r.Rung} {r.ValLoss:F4} {r.Place}/{r.Of} kept ≤ {r.Kept:F4}"))} {t.Reason}");
        var fullSteps = full.Trials.Sum(t => t.Step);
        var ashaSteps = asha.Trials.Sum(t => t.Step);
        var fullBest = full.Trials.Single(t => t.RunId == full.BestRunId);
        var ashaBest = asha.Trials.Single(t => t.RunId == asha.BestRunId);
        output.WriteLine($"full grid: {fullSteps} steps, best #{fullBest.Index + 1} {fullBest.BestValLoss:F4}; with ASHA: {ashaSteps} steps ({100.0 * ashaSteps / fullSteps:F0} %), best #{ashaBest.Index + 1} {ashaBest.BestValLoss:F4}");

        Assert.Equal(SweepStatus.Completed, full.Status);
        Assert.Equal(SweepStatus.Completed, asha.Status);
        Assert.All(full.Trials, t => Assert.Equal(RunStatus.Completed, t.Status));
        Assert.All(full.Trials, t => Assert.Empty(t.Rungs)); // no early stopping, no rungs
        Assert.Equal(fullBest.Index, ashaBest.Index);
        Assert.Equal(RunStatus.Completed, ashaBest.Status);
        Assert.True(ashaSteps <= 0.6 * fullSteps, $"{ashaSteps} of {fullSteps} steps");

        // The rungs: after 1/9, 1/3 and all of each trial's steps, on the whole split.
        var total = asha.Trials[0].TotalSteps;
        long[] rungSteps = [(long)Math.Round(total / 9.0), (long)Math.Round(total / 3.0), total];
        Assert.All(asha.Trials, t => Assert.Equal(rungSteps.Take(t.Rungs.Count), t.Rungs.Select(r => r.Step)));
        // The first trial is alone at each rung and goes on; every trial is judged against those that reached the rung before it.
        Assert.All(asha.Trials[0].Rungs, r => Assert.Equal((1, 1, true), (r.Place, r.Of, r.Continued)));
        var stopped = asha.Trials.Where(t => t.Status == RunStatus.Stopped).ToList();
        Assert.NotEmpty(stopped);
        foreach (var t in asha.Trials)
            foreach (var r in t.Rungs)
            {
                var keep = (int)Math.Ceiling(r.Of / 3.0);
                Assert.Equal(r.Rung == 3 || r.Place <= keep, r.Continued); // promoted to the next rung only from the top third
                Assert.Equal(r.Rung == 3 || r.ValLoss <= r.Kept, r.Continued);
            }
        // A stopped trial stopped at its last rung with a checkpoint there, and says why in the words of its numbers.
        foreach (var t in stopped)
        {
            var at = t.Rungs[^1];
            Assert.False(at.Continued);
            Assert.Equal(at.Step, t.StoppedAtStep);
            Assert.Equal(at.Step, t.Step);
            Assert.Matches(new Regex($@"^Stopped at rung {at.Rung} \(step {at.Step:N0}\): {at.ValLoss:F3}, {at.Place}(st|nd|rd|th) of {at.Of}; the rung kept ≤ {at.Kept:F3}"), t.Reason!);
            var run = await server.GetAsync<RunDto>($"/api/runs/{t.RunId}");
            Assert.Equal((RunStatus.Stopped, t.Reason, asha.Id), (run.Status, run.StopReason, run.SweepId));
            var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={t.RunId}");
            Assert.Equal(at.Step, checkpoints.Max(c => c.Step));
            Assert.Equal(at.ValLoss, checkpoints.Single(c => c.Step == at.Step).ValLoss!.Value, 6);
        }
    }

    [Fact]
    public async Task A_stopped_trial_promoted_by_hand_continues_from_its_rung_to_its_end()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(20_000));
        var request = Grid(book.Id, new EarlyStopping()) with { Parameters = new() { ["learningRate"] = SweepClient.Values(0.02, 0.001) } };
        var sweep = await server.WaitForSweepAsync((await server.CreateSweepAsync(request)).Id);
        var stopped = sweep.Trials.Single(t => t.Status == RunStatus.Stopped);

        var refused = await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/trials/{sweep.Trials[0].RunId}/promote", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only a trial its sweep stopped early", await refused.ProblemDetailAsync());

        var promote = await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/trials/{stopped.RunId}/promote", null);
        Assert.Equal(HttpStatusCode.Accepted, promote.StatusCode);
        var run = await server.WaitForStatusAsync(stopped.RunId, RunStatus.Completed, RunStatus.Failed);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(run.TotalSteps, run.Step);

        var after = await server.WaitForSweepAsync(sweep.Id);
        var promoted = after.Trials.Single(t => t.RunId == stopped.RunId);
        Assert.True(promoted.Promoted);
        // Its stop stays on record, and the rungs after it were recorded but could not stop it.
        Assert.False(promoted.Rungs[0].Continued);
        Assert.Equal(3, promoted.Rungs.Count);
        Assert.All(promoted.Rungs.Skip(1), r => Assert.True(r.Continued));
        // Each step once: the continuation picked up at the rung's checkpoint.
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{stopped.RunId}/metrics");
        Assert.Equal(Enumerable.Range(1, (int)run.TotalSteps).Select(i => (long)i), metrics.Select(m => m.Step));
    }
}
