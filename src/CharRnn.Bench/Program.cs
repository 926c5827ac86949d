using System.CommandLine;
using CharRnn.Bench.Browser;
using CharRnn.Bench.Engine;
using CharRnn.Bench.FineTune;
using CharRnn.Bench.Inside;
using CharRnn.Bench.Presets;
using CharRnn.Bench.Roofline;
using CharRnn.Bench.Web;
using CharRnn.Web.Hosting;

// The cluster bench's Slurm jobs run this program as the worker the web app would run (`… worker RUN_ID`).
if (args is ["worker", var run, ..] && int.TryParse(run, out var runId)) return await WorkerHost.RunAsync(runId, args[2..]);

var root = new RootCommand("charrnn-bench: every benchmark of CharRnn Studio; each prints its figures and writes its section of docs/benchmarks.md.")
{
    EngineBenchCommand.Create(),
    BatchBenchCommand.Create(),
    PresetsBenchCommand.Create(),
    PrecisionBenchCommand.Create(),
    WebBench.Create(),
    EstimateBench.Create(),
    SweepBench.Create(),
    SoakBench.Create(),
    ClusterBench.Create(),
    BrowserBench.Create(),
    InsideBenchCommand.Create(),
    InsideBrowserBench.Create(),
    FineTuneBenchCommand.Create(),
    RooflineBenchCommand.Create(),
    BeamBenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
