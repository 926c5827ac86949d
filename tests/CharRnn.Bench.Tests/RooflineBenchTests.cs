using System.Text.RegularExpressions;

namespace CharRnn.Bench.Tests;

/// <summary><c>charrnn-bench roofline</c> end to end on the Quick CPU preset, a few steps: its GEMM rates, its steps' share of them, and where the time goes.</summary>
[Slow(SlowBecause.Process)]
public class RooflineBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-roofline-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_gemm_rates_the_steps_share_of_them_the_parts_of_a_step_and_onednns_primitives_are_written()
    {
        var book = Path.Combine(_folder, "book.txt");
        File.WriteAllText(book, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog.\n", 100)));
        var output = Path.Combine(_folder, "benchmarks.md");

        var result = ConsoleProgram.Bench.Run(["roofline", "--preset", "quick", "--book", book, "--steps", "3", "--warmup", "1", "--label", "test", "--output", output]);

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        var markdown = File.ReadAllText(output);
        Assert.Contains("<!-- bench:roofline-quick-test -->", markdown);
        // The products at Quick CPU's shapes (batch 16 × 64, 2×256, the verse's 29 characters), each with both rates.
        Assert.Matches(@"\| layer 1's input product over the window \| 1024 × 29 × 1024 \| 1 \| \d+ \| \d+ \|", markdown);
        Assert.Matches(@"\| each layer's recurrent product, one time step \| 16 × 256 × 1024 \| 128 \| \d+ \| \d+ \|", markdown);
        foreach (var precision in new[] { "float32", "bfloat16" })
        {
            Assert.Matches($@"\| {precision}: a step / characters a second \| \d+\.\d ms / [\d,]+ \|", markdown);
            Assert.Matches($@"\| {precision}: share of the GEMM rate at its shapes \(\d+\.\d ms of products at the measured rates\) \| \d+ % \|", markdown);
        }
        Assert.Matches(@"\| backward \| \d+\.\d \(\d+ %\) \| \d+\.\d \(\d+ %\) \|", markdown);
        Assert.Matches(@"\| Adam \| \d+\.\d \(\d+ %\) \| \d+\.\d \(\d+ %\) \|", markdown);
        // libtorch runs oneDNN for the LSTM: its primitives appear, a step's worth.
        Assert.Matches(@"\| (float32|bfloat16) \| rnn \| [^|]+ \| forward_training \| \d+ \| \d+\.\d\d \|", markdown);
    }
}
