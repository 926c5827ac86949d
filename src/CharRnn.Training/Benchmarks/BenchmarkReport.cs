using System.Runtime.InteropServices;
using System.Text;

namespace CharRnn.Training.Benchmarks;

/// <summary>
/// Writes one section of <c>docs/benchmarks.md</c>, between <c>&lt;!-- bench:NAME --&gt;</c> markers, and keeps
/// the rest of the file, so each benchmark command owns its own section.
/// </summary>
public static class BenchmarkReport
{
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
