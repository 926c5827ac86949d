using System.Globalization;
using System.Text.RegularExpressions;

namespace CharRnn.Bench.Tests;

/// <summary>
/// <c>charrnn-bench precision</c> end to end on a short book: the Quick CPU preset trained for one epoch in float32 and
/// in bfloat16 at the same time, in two child processes, and the section, chart and curves it writes.
/// </summary>
[Slow(SlowBecause.Process)]
public class PrecisionBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-precision-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Float32_and_bfloat16_train_side_by_side_and_their_loss_speed_and_curves_are_written()
    {
        // 60,000 characters: the Quick preset's batch of 16 × 64 gives 52 steps an epoch and 5 validation batches.
        var book = PathOf("book.txt");
        File.WriteAllText(book, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog.\n", 1334)));

        var result = ConsoleProgram.Bench.Run(["precision", "--preset", "quick", "--book", book, "--epochs", "1",
            "--output", PathOf("benchmarks.md"), "--image", PathOf("images/precision.png")]);

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("[float32] Quick CPU (float32), seed 1: 52 steps on 1 thread(s).", result.Stdout);
        Assert.Contains("[bfloat16] Quick CPU (bfloat16), seed 1: 52 steps on 1 thread(s).", result.Stdout);
        var markdown = File.ReadAllText(PathOf("benchmarks.md"));
        Assert.Contains("<!-- bench:precision-quick-seed-1 -->", markdown);
        double Loss(string precision) => double.Parse(Regex.Match(markdown,
            $@"\| Quick CPU \({precision}\): validation loss at the end \(step 52\) / wall time \| (\d\.\d{{4}}) / \d+\.\d min \|").Groups[1].Value, CultureInfo.InvariantCulture);
        var (float32, bfloat16) = (Loss("float32"), Loss("bfloat16"));
        // 52 steps from 4.3: both have learned (a uniform guess over 27 characters is 3.3; the repeated verse can be learnt to near 0), and the difference is theirs.
        Assert.InRange(float32, 0, 3.2);
        Assert.InRange(bfloat16, 0, 3.2);
        var row = Regex.Match(markdown, @"\| Difference in validation loss \| (\d\.\d{4}) \| ≤ 0\.02 \| (yes|\*\*no\*\*) \|");
        Assert.True(row.Success, markdown);
        var difference = double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(Math.Abs(float32 - bfloat16), difference, 0.00011); // the table's losses are rounded to 4 places
        // The verdict is on the unrounded difference: at the rounded edge (0.0200) either verdict is right.
        if (Math.Abs(difference - 0.02) > 0.0001) Assert.Equal(difference <= 0.02 ? "yes" : "**no**", row.Groups[2].Value);
        Assert.Matches(@"\| bfloat16 against float32 \| \d+\.\d\d× \| ≥ 1\.6×", markdown);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(PathOf("images/precision.png"))[..4]);
        var csv = File.ReadAllLines(PathOf("images/precision.csv"));
        Assert.Contains(csv, l => l.StartsWith("Quick CPU (float32),1,"));
        Assert.Contains(csv, l => l.StartsWith("Quick CPU (bfloat16),1,"));
    }

    [Fact]
    public void An_unknown_preset_is_refused_before_any_training()
    {
        var result = ConsoleProgram.Bench.Run(["precision", "--preset", "fastest", "--output", "-"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("There is no preset 'fastest'; the presets are notebook, fast, hour, quick, finetune.", result.Stderr);
    }

    [Fact]
    public void With_seeds_and_steps_each_seeds_first_steps_are_judged_in_both_precisions()
    {
        var book = PathOf("book.txt");
        File.WriteAllText(book, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog.\n", 1334)));

        var result = ConsoleProgram.Bench.Run(["precision", "--preset", "quick", "--book", book, "--seeds", "1-2", "--steps", "5", "--output", PathOf("benchmarks.md")]);

        var markdown = File.ReadAllText(PathOf("benchmarks.md"));
        Assert.Contains("<!-- bench:precision-stability-quick -->", markdown);
        foreach (var seed in new[] { 1, 2 })
        {
            Assert.Contains($"[bfloat16] Quick CPU (bfloat16), seed {seed}:", result.Stdout);
            var row = Regex.Match(markdown, $@"\| Seed {seed}: validation loss, float32 / bfloat16 \(step 5\) \| (\d\.\d{{4}}) / (\d\.\d{{4}}) \(bfloat16 [+−]\d\.\d{{4}}\) \| bfloat16 ≤ float32 \+ 0\.15 \| (yes|\*\*no\*\*) \|");
            Assert.True(row.Success, markdown);
            var (float32, bfloat16) = (double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal(bfloat16 <= float32 + 0.15 ? "yes" : "**no**", row.Groups[3].Value);
        }
        // The exit status is the verdict: 0 only when every seed passed.
        Assert.Equal(markdown.Contains("**no**") ? 1 : 0, result.ExitCode);
    }

    [Fact]
    public void Seeds_that_are_not_a_range_or_a_list_are_refused_before_any_training()
    {
        var result = ConsoleProgram.Bench.Run(["precision", "--preset", "fast", "--seeds", "one-five", "--output", "-"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--seeds takes A-B or A,B,C; it was 'one-five'.", result.Stderr);
    }
}
