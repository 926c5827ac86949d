namespace CharRnn.Bench.Tests;

/// <summary><c>charrnn-bench sweep</c> on a tiny sweep: it runs the file in the app and writes its section with the best trial, the times and what mattered.</summary>
[Slow(SlowBecause.Process)]
public class SweepBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-sweep-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_tiny_sweep_is_run_to_its_end_and_reported_beside_its_trials_without_stopping()
    {
        var file = Path.Combine(_folder, "tiny.yaml");
        File.WriteAllText(file, """
            bookId: 1
            base:
              preset: quick
              options: { hidden: 16, layers: 1, batchSize: 8, sequenceLength: 20, epochs: 1, evaluateEvery: 100000, evaluationBatches: 0, device: cpu, precision: float32, seed: 1 }
            parameters:
              learningRate: { values: [0.02, 0.001, 0.0005] }
            earlyStopping: { kind: asha }
            """);
        var report = Path.Combine(_folder, "report.md");

        var result = ConsoleProgram.Bench.Run("sweep", "--file", file, "--bytes", "20000", "--output", report);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(report);
        Assert.Contains("<!-- bench:sweep -->", text);
        Assert.Contains("| best trial | trial 1: learningRate 0.02 |", text);
        Assert.Contains("| trials stopped early | 2 of 3 |", text);
        Assert.Contains("| steps trained | 134 of 330 (41 %) |", text);
        Assert.Contains("| what mattered | Learning rate mattered most: rank correlation −1.00 with the loss", text);
        // The losses' last digits may differ between CPUs (AVX2, AVX-512); the decisions, which are far apart, do not.
        Assert.Matches(@"\| 2 \| learningRate 0.001 \| stopped \| 12 / 110 \| \d\.\d{4} \| Stopped at rung 1 \(step 12\): \d\.\d{3}, 2nd of 2;", text);
    }
}
