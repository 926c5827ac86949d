namespace CharRnn.Training.Tests;

/// <summary>The GPU's name and memory from nvidia-smi, for the New run page and /health (no GPU here: a stand-in prints).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GpuInfoTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-gpu-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Nvidia_smi_csv_gives_each_gpu_with_its_memory()
    {
        var gpus = GpuInfo.Parse("NVIDIA H200, 143771\nNVIDIA GeForce RTX 4090, 24564\n");

        Assert.Equal([new GpuInfo("NVIDIA H200", 143771), new GpuInfo("NVIDIA GeForce RTX 4090", 24564)], gpus);
        Assert.Equal("NVIDIA H200, 140.4 GiB", gpus[0].ToString());
    }

    [Fact]
    public void The_command_is_run_and_its_absence_or_failure_means_no_gpu()
    {
        var fake = Path.Combine(_folder, "nvidia-smi");
        File.WriteAllText(fake, "#!/bin/sh\necho 'NVIDIA H200, 143771'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var failing = Path.Combine(_folder, "failing-smi");
        File.WriteAllText(failing, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        File.SetUnixFileMode(failing, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Assert.Equal([new GpuInfo("NVIDIA H200", 143771)], GpuInfo.Query(fake));
        Assert.Empty(GpuInfo.Query(failing));
        Assert.Empty(GpuInfo.Query(Path.Combine(_folder, "absent")));
    }
}
