namespace CharRnn.Bench.Tests;

/// <summary><c>charrnn-bench engine</c> on a tiny model: its figures printed and written to a report with the command that made them.</summary>
[Slow(SlowBecause.Process)]
public class EngineBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-engine-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Bench_prints_its_figures_and_writes_them_with_the_command_line()
    {
        var report = Path.Combine(_folder, "benchmarks.md");
        var result = ConsoleProgram.Bench.Run("engine", "--hidden", "16", "--layers", "1", "--batch-size", "4", "--seq-length", "10",
            "--warmup", "1", "--bare-steps", "2", "--trainer-steps", "6", "--memory-from", "3", "--sample-chars", "200", "--torch-chars", "20", "--output", report);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var markdown = File.ReadAllText(report);
        Assert.Contains("<!-- bench:engine -->", markdown);
        Assert.Contains("Command: `dotnet run -c Release --project src/CharRnn.Bench -- engine --hidden 16", markdown);
        Assert.Matches(@"\| Trainer ÷ bare loop \| \d+\.\d %", markdown);
        Assert.Matches(@"\| Engine \(float32\) ÷ TorchSharp stepped \| \d+\.\d×", markdown);
        Assert.Contains("bfloat16 weights (opt-in)", markdown);
        Assert.Contains("Resident memory after 3 / 6 Trainer steps", markdown);
    }
}
