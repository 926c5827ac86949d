using System.Diagnostics;
using System.Text.Json;
using CharRnn.Bench.Reports;

namespace CharRnn.Training.Tests;

/// <summary>
/// The build property that picks libtorch: the CPU package by default, TorchSharp-cuda-linux with
/// <c>-p:TorchBackend=cuda</c>. Checked by evaluating the project (no restore: the CUDA package cannot be restored here).
/// </summary>
[Slow(SlowBecause.Process)]
public class TorchBackendTests
{
    private static async Task<string[]> PackagesAsync(params string[] properties)
    {
        var project = RepositoryPath.Resolve(Path.Combine("src", "CharRnn.Training", "CharRnn.Training.csproj"));
        var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-getItem:PackageReference", .. properties.Select(p => $"-p:{p}")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!).ToArray();
    }

    [Fact]
    public async Task The_default_build_uses_the_cpu_libtorch_and_never_the_cuda_package()
    {
        var packages = await PackagesAsync();
        Assert.Contains("libtorch-cpu-linux-x64", packages);
        Assert.DoesNotContain(packages, p => p.Contains("cuda", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_cuda_build_references_torchsharp_cuda_linux_instead()
    {
        var packages = await PackagesAsync("TorchBackend=cuda");
        Assert.Contains("TorchSharp-cuda-linux", packages);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", packages);
    }
}
