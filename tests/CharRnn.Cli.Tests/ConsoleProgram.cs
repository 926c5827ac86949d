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

    /// <summary>
    /// Starts it with <paramref name="environment"/> added to this process's, and with a signal's disposition set by
    /// coreutils' <c>env</c> (<paramref name="signals"/>: <c>--default-signal=INT</c> gives it Ctrl+C even where this
    /// process ignores SIGINT; <c>--ignore-signal=INT</c> starts it as a shell starts a background job). <c>env</c> then
    /// runs it in its place, under the same process id.
    /// </summary>
    public Process Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args, string? signals = null)
    {
        var info = Info(workingDirectory, args);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        if (signals is not null)
        {
            info.ArgumentList.Insert(0, info.FileName);
            info.ArgumentList.Insert(0, signals);
            info.FileName = "env";
        }
        return Process.Start(info)!;
    }

    /// <summary>Every thread's native stack of a process that hangs, as gdb prints it (or why it cannot).</summary>
    public static string NativeStacks(int pid)
    {
        if (!File.Exists("/usr/bin/gdb")) return "(gdb is not installed: apt-get install gdb)";
        using var gdb = Process.Start(new ProcessStartInfo("gdb", ["-p", pid.ToString(), "-batch", "-ex", "thread apply all bt"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = gdb.StandardOutput.ReadToEndAsync();
        if (!gdb.WaitForExit(TimeSpan.FromMinutes(1))) gdb.Kill();
        return output.Result;
    }

    /// <param name="workingDirectory">Where the command is typed; null for the test's own folder.</param>
    public Process Start(string? workingDirectory, params string[] args) => Process.Start(Info(workingDirectory, args))!;

    private ProcessStartInfo Info(string? workingDirectory, string[] args)
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
        return info;
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
