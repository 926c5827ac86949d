using CharRnn.Training.Devices;

namespace CharRnn.Training.Precision;

/// <summary>
/// Whether a processor computes in bfloat16 natively. A CPU does with AVX512_BF16 (AMD Zen 4, Intel since Cooper Lake)
/// or AMX (Intel since Sapphire Rapids). Without them libtorch (oneDNN) still trains in bfloat16, but by converting to
/// float32 and back, which we measured at a third of float32's speed (docs/benchmarks.md), so <c>auto</c> keeps float32
/// there. A GPU does from compute capability 8.0 (Ampere) on.
/// </summary>
public static class Bfloat16Hardware
{
    /// <summary>The CPU flags that give bfloat16 arithmetic, as Linux spells them in /proc/cpuinfo.</summary>
    public static readonly IReadOnlyList<string> CpuFlags = ["avx512_bf16", "amx_bf16"];

    private static readonly Lazy<IReadOnlyList<string>> FlagsHere = new(() =>
    {
        try { return CpuFlagsIn(File.ReadAllText("/proc/cpuinfo")); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    });

    /// <summary>The bfloat16 flags this machine's CPU has: empty where it has none (or where /proc/cpuinfo cannot be read).</summary>
    public static IReadOnlyList<string> CpuFlagsHere => FlagsHere.Value;

    /// <summary>Which of <see cref="CpuFlags"/> a /proc/cpuinfo text lists on its first processor's <c>flags</c> line.</summary>
    public static IReadOnlyList<string> CpuFlagsIn(string cpuinfo)
    {
        var line = cpuinfo.Split('\n').FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Contains(':'));
        if (line is null) return [];
        var flags = line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return CpuFlags.Where(flags.Contains).ToList();
    }

    /// <summary>True when every GPU of this machine is an Ampere or later (compute capability 8.0 or more).</summary>
    public static bool GpuHere => GpuInfo.All.Count > 0 && GpuInfo.All.All(gpu => gpu.ComputeCapability >= 8.0);
}
