using System.Diagnostics;
using System.Globalization;

namespace CharRnn.Training.Devices;

/// <summary>
/// The NVIDIA GPUs' names, memory and compute capability, as <c>nvidia-smi</c> reports them (libtorch says only that CUDA
/// is there). The driver installs nvidia-smi, and <c>docker run --gpus all</c> mounts it into the container.
/// </summary>
/// <param name="ComputeCapability">8.0 for an A100, 9.0 for an H100 or H200: bfloat16 runs natively from 8.0 (Ampere) on.</param>
public sealed record GpuInfo(string Name, long MemoryMiB, double ComputeCapability)
{
    public override string ToString() => $"{Name}, {MemoryMiB / 1024.0:0.#} GiB";

    private static readonly Lazy<IReadOnlyList<GpuInfo>> Found = new(() => Query());

    /// <summary>The GPUs of this machine, asked once per process; empty without a driver.</summary>
    public static IReadOnlyList<GpuInfo> All => Found.Value;

    /// <summary>Runs <paramref name="command"/> (nvidia-smi by default) and reads its CSV; empty when it is not there or fails.</summary>
    public static IReadOnlyList<GpuInfo> Query(string command = "nvidia-smi")
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, "--query-gpu=name,memory.total,compute_cap --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return [];
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? Parse(output) : [];
        }
        catch (Exception) { return []; } // no driver, no nvidia-smi
    }

    /// <summary>Lines of "name, memory in MiB, compute capability", as <c>--format=csv,noheader,nounits</c> writes them.</summary>
    public static IReadOnlyList<GpuInfo> Parse(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length >= 3 && long.TryParse(parts[^2], out _)
                && double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(parts => new GpuInfo(string.Join(", ", parts[..^2]), long.Parse(parts[^2]), double.Parse(parts[^1], CultureInfo.InvariantCulture)))
            .ToList();
}
