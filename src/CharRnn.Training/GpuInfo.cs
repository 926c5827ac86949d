using System.Diagnostics;

namespace CharRnn.Training;

/// <summary>
/// The NVIDIA GPUs' names and memory, as <c>nvidia-smi</c> reports them (libtorch says only that CUDA is there). The
/// driver installs nvidia-smi, and <c>docker run --gpus all</c> mounts it into the container.
/// </summary>
public sealed record GpuInfo(string Name, long MemoryMiB)
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
            using var process = Process.Start(new ProcessStartInfo(command, "--query-gpu=name,memory.total --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return [];
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? Parse(output) : [];
        }
        catch (Exception) { return []; } // no driver, no nvidia-smi
    }

    /// <summary>Lines of "name, memory in MiB", as <c>--format=csv,noheader,nounits</c> writes them.</summary>
    public static IReadOnlyList<GpuInfo> Parse(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(','))
            .Where(parts => parts.Length >= 2 && long.TryParse(parts[^1].Trim(), out _))
            .Select(parts => new GpuInfo(string.Join(",", parts[..^1]).Trim(), long.Parse(parts[^1].Trim())))
            .ToList();
}
