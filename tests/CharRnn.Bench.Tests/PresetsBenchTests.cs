using System.Globalization;
using CharRnn.Contracts;
using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Bench.Tests;

/// <summary>
/// <c>charrnn-bench presets</c> without hours of training: its runs' curves are given in the <c>--curves</c> folder (the
/// bench reads a curve that is already there instead of training it again) and the Notebook's as an earlier bench's CSV.
/// </summary>
[Slow(SlowBecause.Process)]
public class PresetsBenchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-presets-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private string Write(string name, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(name))!);
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    /// <summary>A Notebook run that ends at 1.3019 after 10 minutes, as an earlier side-by-side bench wrote it.</summary>
    private string NotebookCsv() => Write("earlier.csv",
        "preset,seed,seconds,step,val_loss,whole_split\n"
        + "Notebook,1,60.0,10,1.9000,1\n"
        + "Notebook,1,600.0,100,1.3019,1\n"
        + "Fast to quality,1,30.0,10,1.0000,1\n"); // another preset's rows are not the Notebook's

    private static string Point(double seconds, long step, double loss, bool whole) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"Seconds":{{seconds}},"Step":{{step}},"ValLoss":{{loss}},"WholeSplit":{{(whole ? "true" : "false")}}}""");

    private static string Curve(int seed, params string[] points) =>
        $$"""{"Preset":"Fast to quality","Seed":{{seed}},"Points":[{{string.Join(",", points)}}],"Seconds":570,"Steps":100,"ValidationSeconds":28.5,"EvaluationSeconds":57}""";

    private ConsoleProgram.Result Bench(params string[] extra) =>
        ConsoleProgram.Bench.Run(["presets", "--book", Write("book.txt", "the quick brown fox jumps over the lazy dog.\n"), .. extra]);

    [Fact]
    public void Kept_curves_are_compared_with_the_notebook_curve_of_an_earlier_bench()
    {
        // Seed 1: an estimate of 1.20 at 200 s does not count; the whole split passes 1.30 at 240 s and 1.25 at 540 s.
        Write("curves/fast-1.json", Curve(1, Point(120, 20, 1.35, true), Point(200, 25, 1.20, false), Point(240, 40, 1.29, true), Point(540, 90, 1.248, true), Point(560, 100, 1.251, true)));
        // Seed 2: passes 1.30 at 330 s and never reaches 1.25.
        Write("curves/fast-2.json", Curve(2, Point(330, 60, 1.2999, true), Point(560, 100, 1.2601, true)));

        var result = Bench("--runs", "fast:1,fast:2", "--notebook-curve", NotebookCsv(), "--curves", PathOf("curves"),
            "--old-fast-curve", NotebookCsv(), "--output", PathOf("benchmarks.md"), "--image", PathOf("images/chart.png"));
        // The bar: 10 minutes where this CPU computes in bfloat16 natively (the preset's auto chooses it), 15 in float32.
        var bar = TrainingPrecisions.NativeHere(TrainingDevice.Cpu) ? "≤ 10.0 min" : "≤ 15.0 min";

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("[fast:1] read from", result.Stdout);
        var markdown = File.ReadAllText(PathOf("benchmarks.md"));
        Assert.Contains("<!-- bench:presets-fast-1-fast-2 -->", markdown);
        Assert.Contains("| Notebook, seed 1 (from earlier.csv): final validation loss (step 100) / time to it | 1.3019 / 10.0 min |", markdown);
        Assert.Contains($"| Fast to quality, seed 1: first ≤ 1.30 | 4.0 min (step 40, 1.2900) | {bar} (the Notebook did not reach it in 10.0 min) | yes |", markdown);
        Assert.Contains("| Fast to quality, seed 1: first ≤ 1.25 | 9.0 min (step 90, 1.2480) | (the Notebook's whole run: 10.0 min) |  |", markdown);
        Assert.Contains("| Fast to quality, seed 1: best validation loss | 1.2480 (step 90, 9.0 min) |", markdown);
        Assert.Contains("| Fast to quality, seed 1: evaluation share of the run | 10.0 % (validation passes alone 5.0 %) |", markdown);
        Assert.Contains($"| Fast to quality, seed 2: first ≤ 1.30 | 5.5 min (step 60, 1.2999) | {bar} (the Notebook did not reach it in 10.0 min) | yes |", markdown);
        Assert.Contains("| Fast to quality, seed 2: first ≤ 1.25 | not reached | (the Notebook's whole run: 10.0 min) |  |", markdown);
        Assert.Contains("](images/chart.png)", markdown);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(PathOf("images/chart.png"))[..4]);
        var csv = File.ReadAllLines(PathOf("images/chart.csv"));
        Assert.Equal(2, csv.Count(l => l.StartsWith("Notebook,1,")));
        Assert.Contains("Fast to quality,1,200.0,25,1.2000,0", csv);
        Assert.Contains("Fast to quality,2,560.0,100,1.2601,1", csv);
        // The Fast preset as it was, drawn beside the new one under the name it has now.
        Assert.Contains("Best in an hour (the Fast preset before),1,30.0,10,1.0000,1", csv);
    }

    [Fact]
    public void Runs_that_cannot_be_compared_are_refused_before_any_training()
    {
        var noSeed = Bench("--runs", "fast", "--output", "-");
        Assert.NotEqual(0, noSeed.ExitCode);
        Assert.Contains("'fast' is not a run: write PRESET:SEED, e.g. fast:2.", noSeed.Stderr);

        var unknown = Bench("--runs", "fastest:1", "--output", "-");
        Assert.Contains("There is no preset 'fastest'; the presets are notebook, fast, hour, quick, finetune.", unknown.Stderr);

        var noReference = Bench("--runs", "fast:1,fast:2", "--output", "-");
        Assert.NotEqual(0, noReference.ExitCode);
        Assert.Contains("With no Notebook run in --runs, give the Notebook curve to compare against with --notebook-curve FILE.csv.", noReference.Stderr);

        var notACurve = Bench("--runs", "fast:1", "--notebook-curve", Write("notes.csv", "name,value\n"), "--output", "-");
        Assert.NotEqual(0, notACurve.ExitCode);
        Assert.Contains("is not a presets bench's curve file", notACurve.Stderr);
    }
}
