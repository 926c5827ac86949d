using System.Text.RegularExpressions;
using CharRnn.Tests;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Api.Sweeps;

/// <summary><c>charrnn sweep FILE --server URL</c> as a person runs it from a shell, against the real server on Kestrel.</summary>
[Slow(SlowBecause.Process)]
public class SweepCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-sweep-cli-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_yaml_sweep_is_submitted_and_followed_to_its_best_trial_with_a_line_per_trial_event()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(SweepClient.Anna(20_000));
        var file = Path.Combine(_data, "tiny.yaml");
        await File.WriteAllTextAsync(file, $"""
            bookId: {book.Id}
            name: from the shell
            base:
              preset: quick
              options: {"{"} hidden: 16, layers: 1, batchSize: 8, sequenceLength: 20, epochs: 1, evaluateEvery: 100000, evaluationBatches: 0, device: cpu, precision: float32, seed: 1 {"}"}
            parameters:
              learningRate: {"{"} values: [0.02, 0.001, 0.0005] {"}"}
            earlyStopping: {"{"} kind: asha {"}"}
            """);

        var result = await Task.Run(() => ConsoleProgram.Charrnn.Run("sweep", file, "--server", server.BaseAddress.ToString()));
        output.WriteLine(result.Stdout + result.Stderr);

        Assert.Equal(0, result.ExitCode);
        var sweep = (await server.GetAsync<List<SweepDto>>("/api/sweeps")).Single();
        Assert.Equal(SweepStatus.Completed, sweep.Status);
        Assert.Contains($"Sweep {sweep.Id} \"from the shell\": 3 trials, 1 at a time. Watch it at {new Uri(server.BaseAddress, $"/sweeps/{sweep.Id}")}", result.Stdout);
        foreach (var trial in sweep.Trials)
        {
            Assert.Contains($"trial {trial.Index + 1} started: learningRate {trial.Parameters["learningRate"]}", result.Stdout);
            Assert.Contains($"trial {trial.Index + 1} rung 1 (step {trial.Rungs[0].Step:N0})", result.Stdout);
        }
        var stopped = sweep.Trials.First(t => t.Status == RunStatus.Stopped);
        Assert.Contains($"trial {stopped.Index + 1} stopped: {stopped.Reason}", result.Stdout);
        var best = sweep.Trials.Single(t => t.RunId == sweep.BestRunId);
        Assert.Matches(new Regex($@"Best: trial {best.Index + 1} \(learningRate 0\.02\), validation loss {best.BestValLoss:F4}, run {best.RunId}: http://127\.0\.0\.1:\d+/runs/{best.RunId}"), result.Stdout);
    }

    [Fact]
    public async Task A_refused_sweep_prints_the_servers_reason_and_exits_1_and_the_examples_are_accepted()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(3000));
        var bad = Path.Combine(_data, "bad.json");
        await File.WriteAllTextAsync(bad, $$$"""{"bookId": {{{book.Id}}}, "parameters": {"learningRate": {"logUniform": [0, 0.01]}}, "method": "random", "trials": 3}""");

        var refused = ConsoleProgram.Charrnn.Run("sweep", bad, "--server", server.BaseAddress.ToString());

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("charrnn: the server refused the sweep (400): learningRate's logUniform range starts at 0: a log scale needs values above 0.", refused.Stderr);
        Assert.Empty(await server.GetAsync<List<SweepDto>>("/api/sweeps"));

        // The files under examples/sweeps/ are sweeps the server takes, once their book id is this server's.
        foreach (var example in Directory.GetFiles(Bench.Reports.RepositoryPath.Resolve("examples/sweeps"), "*.yaml"))
        {
            var copy = Path.Combine(_data, Path.GetFileName(example));
            var text = await File.ReadAllTextAsync(example);
            await File.WriteAllTextAsync(copy, Regex.Replace(text, @"(?m)^bookId: \d+", $"bookId: {book.Id}"));
            var submitted = ConsoleProgram.Charrnn.Run("sweep", copy, "--server", server.BaseAddress.ToString(), "--no-follow");
            Assert.True(submitted.ExitCode == 0, $"{Path.GetFileName(example)}: {submitted.Stderr}");
            var id = int.Parse(Regex.Match(submitted.Stdout, @"^Sweep (\d+)").Groups[1].Value);
            await server.Http.PostAsync($"/api/sweeps/{id}/cancel", null);
            var sweep = await server.WaitForSweepAsync(id);
            // Its own trials: the count it asks for, or a grid's every combination.
            var trials = Regex.Match(text, @"(?m)^trials: (\d+)") is { Success: true } asked ? int.Parse(asked.Groups[1].Value)
                : Regex.Matches(text, @"values: \[([^\]]*)\]").Aggregate(1, (product, values) => product * values.Groups[1].Value.Split(',').Length);
            Assert.Equal(trials, sweep.Trials.Count);
            Assert.NotNull(sweep.Request.EarlyStopping);
        }
    }
}
