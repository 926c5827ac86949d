using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using CharRnn.Training.Precision;

namespace CharRnn.Bench.Reports;

/// <summary>
/// How every bench reports: a table of measures, figures, targets and whether each was met, printed and written as one
/// section of <c>docs/benchmarks.md</c> (between <c>&lt;!-- bench:NAME --&gt;</c> markers, the rest of the file kept),
/// headed by the command that reruns it and the machine it ran on.
/// </summary>
public static class BenchmarkReport
{
    /// <summary>Every bench's <c>--output</c>: the markdown file its section goes to, or <c>-</c> for none.</summary>
    public static Option<string> OutputOption() => new("--output")
    {
        Description = "Markdown file to write the figures to ('-' for none).",
        DefaultValueFactory = _ => "docs/benchmarks.md",
    };

    /// <summary>The command that reran this bench, as a person types it: <c>dotnet run -c Release --project src/CharRnn.Bench -- presets --quick</c>.</summary>
    public static string Command(string? environment = null) =>
        (environment is null ? "" : environment + " ")
        + string.Join(" ", ["dotnet run -c Release --project src/CharRnn.Bench --", .. Environment.GetCommandLineArgs().Skip(1)]);

    /// <summary>
    /// Prints the table and writes the section <paramref name="name"/>: the heading, the command, when and on what it was
    /// measured (<paramref name="measured"/> continues that sentence), the table, then <paramref name="notes"/>.
    /// </summary>
    public static void Write(string output, string name, string heading, string measured, string table, string notes = "", string? environment = null)
    {
        Console.WriteLine();
        Console.WriteLine(table);
        if (output == "-") return;
        var body = $"## {heading}\n\nCommand: `{Command(environment)}`\n\n"
            + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}{measured}\n\n{table}{(notes.Length > 0 ? "\n" + notes : "")}";
        WriteSection(RepositoryPath.Resolve(output), name, body);
        Console.WriteLine($"Written to {output}");
    }

    public static void WriteSection(string path, string name, string body)
    {
        string begin = $"<!-- bench:{name} -->", end = $"<!-- /bench:{name} -->";
        var section = $"{begin}\n{body.TrimEnd()}\n{end}";
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nFigures measured by the project's own benchmark commands, each with the command that produced it. Re-run the command to refresh its section.\n";
        var from = existing.IndexOf(begin, StringComparison.Ordinal);
        var to = existing.IndexOf(end, StringComparison.Ordinal);
        var updated = from >= 0 && to > from
            ? existing[..from] + section + existing[(to + end.Length)..]
            : existing.TrimEnd() + "\n\n" + section + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, updated);
    }

    /// <summary>"AMD EPYC 9R14 (AVX-512), 2 cores, .NET 10.0.1, Linux": enough to tell machines apart; speeds differ with the vector width.</summary>
    public static string Machine()
    {
        var cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        var flags = File.Exists("/proc/cpuinfo") && File.ReadAllText("/proc/cpuinfo").Contains(" avx512f") ? "AVX-512" : "AVX2, no AVX-512";
        // Whether bfloat16 runs natively decides what a precision figure means, so every figure names it.
        flags += Bfloat16Hardware.CpuFlagsHere is { Count: > 0 } bf16 ? $", {string.Join(", ", bf16)}" : ", no AVX512_BF16 or AMX";
        return $"{cpu} ({flags}), {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";
    }

    public static string Table(IEnumerable<(string Measure, string Figure, string Target, bool? Met)> rows)
    {
        var text = new StringBuilder("| measure | figure | target | met |\n| --- | --- | --- | --- |\n");
        foreach (var (measure, figure, target, met) in rows)
            text.Append($"| {measure} | {figure} | {target} | {(met is null ? "" : met.Value ? "yes" : "**no**")} |\n");
        return text.ToString();
    }
}
