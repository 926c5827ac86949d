using System.Diagnostics;

namespace CharRnn.Bench.Presets;

/// <summary>Starts this same command line tool again with other arguments, its output passed to a callback line by line.</summary>
internal static class ChildProcess
{
    /// <param name="environment">Variables to set in the child only (<c>ONEDNN_VERBOSE</c>).</param>
    public static Process Start(IEnumerable<string> arguments, Action<string> output, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Run as `dotnet charrnn.dll` (dotnet run) or as the apphost `charrnn`: start it the same way.
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
