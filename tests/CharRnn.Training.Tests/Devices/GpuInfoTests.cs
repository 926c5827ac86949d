using CharRnn.Training.Devices;

namespace CharRnn.Training.Tests;

/// <summary>The GPU's name, memory and compute capability from nvidia-smi, for the New run page and /health (no GPU here: a stand-in prints).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GpuInfoTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-gpu-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Nvidia_smi_csv_gives_each_gpu_with_its_memory_and_compute_capability()
    {
        var gpus = GpuInfo.Parse("NVIDIA H200, 143771, 9.0\nNVIDIA GeForce RTX 4090, 24564, 8.9\nTesla V100-SXM2-16GB, 16384, 7.0\n");

        Assert.Equal([new GpuInfo("NVIDIA H200", 143771, 9.0), new GpuInfo("NVIDIA GeForce RTX 4090", 24564, 8.9), new GpuInfo("Tesla V100-SXM2-16GB", 16384, 7.0)], gpus);
        Assert.Equal("NVIDIA H200, 140.4 GiB", gpus[0].ToString());
    }

    [Fact]
    public void The_command_is_run_and_its_absence_or_failure_means_no_gpu()
    {
        var fake = Path.Combine(_folder, "nvidia-smi");
        File.WriteAllText(fake, "#!/bin/sh\necho 'NVIDIA H200, 143771, 9.0'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var failing = Path.Combine(_folder, "failing-smi");
        File.WriteAllText(failing, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        File.SetUnixFileMode(failing, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Assert.Equal([new GpuInfo("NVIDIA H200", 143771, 9.0)], GpuInfo.Query(fake));
        Assert.Empty(GpuInfo.Query(failing));
        Assert.Empty(GpuInfo.Query(Path.Combine(_folder, "absent")));
    }
}
