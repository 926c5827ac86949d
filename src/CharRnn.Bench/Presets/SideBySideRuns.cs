namespace CharRnn.Bench.Presets;

/// <summary>One run of a side-by-side bench: its name (the prefix of its output lines), where it writes its curve, and the arguments that start it.</summary>
internal sealed record SideBySideRun(string Name, string CurveFile, string[] Arguments);

/// <summary>
/// Runs that train at the same time, each in a child process of this bench that writes its curve to a file: every
/// figure a side-by-side bench compares was measured on the same machine at the same time.
/// </summary>
internal static class SideBySideRuns
{
    /// <summary>Starts every run, waits for all of them, and reads their curves; a run that fails fails the bench.</summary>
    public static List<PresetCurve> Train(IReadOnlyList<SideBySideRun> runs)
    {
        var children = runs.Select(run => ChildProcess.Start(run.Arguments, line => Console.WriteLine($"[{run.Name}] {line}"))).ToList();
        foreach (var child in children)
        {
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"A benchmark run failed (exit code {child.ExitCode}); its output is above.");
        }
        return runs.Select(run => PresetCurveFile.Read(run.CurveFile)).ToList();
    }
}
