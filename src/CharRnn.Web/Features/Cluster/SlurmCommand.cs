using System.Diagnostics;

namespace CharRnn.Web.Features.Cluster;

/// <summary>Runs one of Slurm's commands and returns its exit code and output.</summary>
public static class SlurmCommand
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string command, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (environment is not null)
            foreach (var (key, value) in environment)
                if (!string.IsNullOrEmpty(value)) start.Environment[key] = value;
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, await output, await error);
        }
        catch (System.ComponentModel.Win32Exception e) { return (127, "", $"{command} was not found ({e.Message}): is this a Slurm submit host?"); }
    }
}
