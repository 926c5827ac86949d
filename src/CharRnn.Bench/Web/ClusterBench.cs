using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using CharRnn.Bench.Engine;
using CharRnn.Bench.Reports;
using Microsoft.AspNetCore.SignalR.Client;
using CharRnn.Web.Features.Cluster;
using Npgsql;

namespace CharRnn.Bench.Web;

/// <summary>
/// <c>charrnn-bench cluster</c>: on a Slurm cluster (<c>scripts/slurm-one-node.sh</c>
/// here), with the PostgreSQL and Redis named by <c>ConnectionStrings__Postgres</c> and <c>ConnectionStrings__Redis</c>,
/// two web instances with the Slurm executor: how long from "start run" on instance A to the run's first step (the job
/// submitted, scheduled, the worker started), and how long each step takes from the worker to a watcher on instance B
/// (median and 99th percentile over the run).
/// </summary>
public static class ClusterBench
{
    private static readonly Option<int> Steps = new("--steps") { Description = "Steps each run is watched for.", DefaultValueFactory = _ => 300 };
    private static readonly Option<int> Runs = new("--runs") { Description = "Runs started one after the other.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("cluster", "Time the Slurm executor's start to first step and a step's way from a worker to another instance's watcher.") { Steps, Runs, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var (steps, runs) = (parse.GetValue(Steps), parse.GetValue(Runs));
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var redis = Environment.GetEnvironmentVariable("ConnectionStrings__Redis");
        if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(redis))
        {
            Console.Error.WriteLine("Set ConnectionStrings__Postgres (a user that may create databases) and ConnectionStrings__Redis, and start a Slurm cluster (scripts/slurm-one-node.sh).");
            return 2;
        }
        void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
        var database = $"charrnn_bench_{Guid.NewGuid():N}";
        var store = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        var data = Directory.CreateTempSubdirectory("charrnn-cluster-").FullName;
        // The jobs run this program as the worker (Program.cs), started as the web app would start itself.
        var worker = SlurmExecutor.CommandStarting(typeof(ClusterBench).Assembly);
        string[] Settings(string name) => ["--ConnectionStrings:Postgres", store, "--ConnectionStrings:Redis", redis, "--CharRnn:Executor", "Slurm",
            "--CharRnn:InstanceName", name, "--CharRnn:Slurm:PollSeconds", "1", "--CharRnn:Slurm:WorkerCommand", worker];
        var starts = new List<double>();
        var delays = new ConcurrentQueue<double>();
        try
        {
            await using var a = await BenchHost.StartAsync(data, Settings("a"));
            await using var b = await BenchHost.StartAsync(data, Settings("b"));
            using var atA = new HttpClient { BaseAddress = a.Address };
            using var atB = new HttpClient { BaseAddress = b.Address };
            Log($"Machine: {BenchmarkReport.Machine()}; instances at {a.Address} and {b.Address}, Slurm: {(await Shell("sinfo -h -o '%P %D %c %t'")).Trim()}");
            var book = await BenchClient.UploadAsync(atA, System.Text.Encoding.UTF8.GetBytes(SyntheticText.Create(400_000)), "synthetic.txt");

            await using var watcher = BenchClient.Hub(b.Address, "/hubs/training");
            watcher.On<int, MetricDto>("Progress", (_, m) => delays.Enqueue((DateTime.UtcNow - m.At).TotalMilliseconds));
            await watcher.StartAsync();
            for (var i = 0; i < runs; i++)
            {
                starts.Add(await TimeRunAsync(atA, atB, watcher, book.Id, seed: i + 1, steps, Log));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            Directory.Delete(data, recursive: true);
        }

        var sorted = delays.Order().ToList();
        double At(double q) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Round(q * (sorted.Count - 1))];
        var table = BenchmarkReport.Table(
        [
            ($"From \"start run\" on instance A to the first step (Slurm job submitted, scheduled, worker started), {runs} runs", string.Join(" / ", starts.Select(s => $"{s:F2} s")), "", null),
            ($"From a worker's step to a watcher on instance B, median over {sorted.Count:N0} steps", $"{At(0.5):F1} ms", "", null),
            ("… 99th percentile", $"{At(0.99):F1} ms", "", null),
            ("… largest", $"{(sorted.Count > 0 ? sorted[^1] : double.NaN):F1} ms", "≤ 1,000 ms", sorted.Count > 0 && sorted[^1] <= 1000),
        ]);
        BenchmarkReport.Write(parse.GetValue(Output)!, "cluster", "Cluster: the Slurm executor and two web instances (`cluster`)",
                ", with the one-node Slurm cluster of `scripts/slurm-one-node.sh` "
                + "(Debian's slurm-wlm 22.05, this machine as the only node), Debian's PostgreSQL and Redis, and two web instances in one process sharing "
                + $"a data folder. Each run (2×128, batch 32×50, CPU) was created on instance A and watched from instance B for {steps} steps. The first figure "
                + "is the first step's timestamp (written by the worker) minus the time the request was sent; the delays are a step's arrival at B's hub "
                + "client minus its timestamp, on one machine's clock: worker → Redis (SignalR's backplane) → instance B → client.",
                table, environment: "ConnectionStrings__Postgres=… ConnectionStrings__Redis=…");
        return 0;
    }

    /// <summary>
    /// Creates a run (2×128, batch 32×50, CPU) on instance A, watches it from instance B for <paramref name="steps"/> steps,
    /// then cancels it; returns the seconds from the request to its first step's timestamp (written by the worker).
    /// </summary>
    private static async Task<double> TimeRunAsync(HttpClient atA, HttpClient atB, HubConnection watcher, int bookId, int seed, int steps, Action<string> log)
    {
        var options = TrainingPresets.Notebook.Options with
        {
            Hidden = 128, Layers = 2, BatchSize = 32, SequenceLength = 50, EvaluateEvery = 100_000, Seed = seed, Device = DeviceChoice.Cpu,
        };
        var clock = DateTime.UtcNow;
        var created = await BenchClient.CreateRunAsync(atA, CreateRunRequest.For(bookId, options, $"cluster bench {seed}"));
        await watcher.InvokeAsync<RunSnapshot>("Watch", created.Id);
        RunDto run;
        while ((run = await BenchClient.RunAsync(atB, created.Id)).Step < 1)
        {
            if (DateTime.UtcNow - clock > TimeSpan.FromMinutes(5))
                throw new TimeoutException($"Run {created.Id} had no step after 5 minutes: {run.Status.Name()}, job {run.JobId} {run.JobState} {run.JobReason}, {run.Error} (its log is under the data folder's slurm/)");
            await Task.Delay(50);
        }
        var start = ((await BenchClient.MetricsAsync(atB, created.Id, "?take=1"))[0].At - clock).TotalSeconds;
        log($"run {created.Id}: job {run.JobId}, first step {start:F2} s after the request");
        while ((await BenchClient.RunAsync(atB, created.Id)).Step < steps) await Task.Delay(200);
        await atB.PostAsync($"/api/runs/{created.Id}/cancel", null);
        while ((await BenchClient.RunAsync(atB, created.Id)).Status == RunStatus.Running) await Task.Delay(200);
        return start;
    }

    private static async Task<string> Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
