using System.Globalization;
using System.Text.RegularExpressions;

namespace CharRnn.Bench.Tests;

/// <summary>
/// <c>charrnn-bench finetune</c> end to end on two short books: the source trained on the first, then the Fine-tune
/// preset from it and Quick CPU from scratch on the second, side by side in two child processes; the section, chart and
/// curves it writes.
/// </summary>
[Slow(SlowBecause.Process)]
public class FineTuneBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-finetune-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void The_fine_tune_and_from_scratch_train_side_by_side_and_the_time_to_the_same_loss_and_the_forgetting_are_written()
    {
        // 30,000 characters each: the Fine-tune preset's batch of 32 × 64 gives 13 steps an epoch, Quick CPU's of 16 × 64 twice that.
        const string verse = "the quick brown fox jumps over the lazy dog.\n";
        File.WriteAllText(PathOf("first.txt"), string.Concat(Enumerable.Repeat(verse, 667)));
        File.WriteAllText(PathOf("second.txt"), string.Concat(Enumerable.Repeat(verse.Replace('.', '!').Replace("dog", "DOG"), 667)));

        var result = ConsoleProgram.Bench.Run(["finetune", "--book", PathOf("first.txt"), "--first-bytes", "30000", "--second", PathOf("second.txt"),
            "--output", PathOf("benchmarks.md"), "--image", PathOf("images/finetune.png")]);

        Assert.True(result.ExitCode is 0 or 1, result.Stderr + result.Stdout);
        Assert.Contains("[fine-tune] fine-tune: step 10,", result.Stdout);
        Assert.Contains("[scratch] scratch: step 10,", result.Stdout);
        var markdown = File.ReadAllText(PathOf("benchmarks.md"));
        Assert.Contains("<!-- bench:finetune -->", markdown);
        var preset = CharRnn.Contracts.TrainingPresets.FineTune.Options;
        var label = $"Fine-tune peak {preset.LearningRate.ToString(CultureInfo.InvariantCulture)} × {preset.Epochs} epochs";
        var scratch = Regex.Match(markdown, @"\| Quick CPU from scratch beside it: validation loss at the end / training time \| (\d\.\d{4}) / (\d+) s \|");
        Assert.True(scratch.Success, markdown);
        var reached = Regex.Match(markdown, $@"\| {Regex.Escape(label)}: first at or below {scratch.Groups[1].Value} \| (never|step (\d+), (\d+\.\d) s = (\d+) % of from scratch's time) \| ≤ 25 % \| (yes|\*\*no\*\*) \|");
        Assert.True(reached.Success, markdown);
        Assert.Equal(reached.Groups[1].Value != "never" && int.Parse(reached.Groups[4].Value) <= 25 ? 0 : 1, result.ExitCode);
        var forgetting = Regex.Match(markdown, $@"\| {Regex.Escape(label)}: first book's validation loss before / after \| (\d\.\d{{4}}) / (\d\.\d{{4}}) \(([+−]\d\.\d{{4}})\) \|");
        Assert.True(forgetting.Success, markdown);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(PathOf("images/finetune.png"))[..4]);
        var csv = File.ReadAllLines(PathOf("images/finetune.csv"));
        Assert.Contains(csv, l => l.StartsWith($"{label}: second.txt,1,"));
        Assert.Contains(csv, l => l.StartsWith($"{label}: first.txt,1,"));
        Assert.Contains(csv, l => l.StartsWith("Quick CPU from scratch: second.txt,1,"));
    }

    [Fact]
    public void A_missing_second_book_is_named_with_the_package_that_brings_it_before_any_training()
    {
        var result = ConsoleProgram.Bench.Run(["finetune", "--second", PathOf("none.txt"), "--output", "-"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{PathOf("none.txt")} is missing: the second book is Debian's fortunes package (apt-get install fortunes), or give --second FILE.", result.Stderr);
    }
}
