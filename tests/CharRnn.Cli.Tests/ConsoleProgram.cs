using System.Diagnostics;
using System.Text;

namespace CharRnn.Tests;

/// <summary>Runs one of the solution's console programs (built beside the tests) as a person would from a shell.</summary>
internal sealed class ConsoleProgram(string name)
{
    /// <summary>The terminal front end: train, sample, convert.</summary>
    public static readonly ConsoleProgram Charrnn = new("charrnn");

    /// <summary>Every benchmark.</summary>
    public static readonly ConsoleProgram Bench = new("charrnn-bench");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private string Program => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    public Process Start(params string[] args) => Start(null, args);

    /// <param name="workingDirectory">Where the command is typed; null for the test's own folder.</param>
    public Process Start(string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Program);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    public Result Run(params string[] args) => RunIn(null, args);

    public Result RunIn(string? workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(" ", args)} did not finish in 3 minutes.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
