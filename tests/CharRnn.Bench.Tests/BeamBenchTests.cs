namespace CharRnn.Bench.Tests;

/// <summary><c>charrnn-bench beam</c> end to end on a small model: one stream's time, each beam width's beside it, and a 16-cell grid's.</summary>
[Slow(SlowBecause.Process)]
public class BeamBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-beam-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Each_width_is_timed_beside_one_stream_and_width_8_against_its_bar()
    {
        var output = Path.Combine(_folder, "benchmarks.md");

        var result = ConsoleProgram.Bench.Run(["beam", "--hidden", "32", "--layers", "1", "--characters", "100", "--grid-characters", "50", "--rounds", "1", "--output", output]);

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        var markdown = File.ReadAllText(output);
        Assert.Contains("<!-- bench:beam -->", markdown);
        Assert.Matches(@"\| One drawn stream \(top-k 5\), 100 characters \| \d+\.\d{3} s \([\d,]+ chars/s\) \|", markdown);
        foreach (var width in new[] { 1, 2, 4 })
            Assert.Matches($@"\| Beam of width {width}, 100 characters \| \d+\.\d{{3}} s \(\d+\.\d× the stream\) \|  \|  \|", markdown);
        Assert.Matches(@"\| Sample grid, 4 checkpoints × 4 temperatures, 50 characters a cell: time to the last character \| \d+\.\d{3} s \([\d,]+ chars/s in all, \d+\.\d× one stream\) \|", markdown);
        Assert.Matches(@"\| Beam of width 8, 100 characters \| \d+\.\d{3} s \(\d+\.\d× the stream\) \| ≤ 1 s \| (yes|\*\*no\*\*) \|", markdown);
    }
}
