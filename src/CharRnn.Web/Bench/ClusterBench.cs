using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CharRnn.Training.Benchmarks;
using CharRnn.Web.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace CharRnn.Web.Bench;

/// <summary>
/// <c>dotnet run -c Release --project src/CharRnn.Web -- bench cluster</c>: on a Slurm cluster (<c>scripts/slurm-one-node.sh</c>
/// here), with the PostgreSQL and Redis named by <c>ConnectionStrings__Postgres</c> and <c>ConnectionStrings__Redis</c>,
/// two web instances with the Slurm executor: how long from "start run" on instance A to the run's first step (the job
/// submitted, scheduled, the worker started), and how long each step takes from the worker to a watcher on instance B
/// (median and 99th percentile over the run).
/// </summary>
public static class ClusterBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var steps = WebBench.IntArg(args, "--steps", 300);
        var runs = WebBench.IntArg(args, "--runs", 3);
        var output = WebBench.StringArg(args, "--output", "docs/benchmarks.md");
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
        string[] Settings(string name) => ["--ConnectionStrings:Postgres", store, "--ConnectionStrings:Redis", redis, "--CharRnn:Executor", "Slurm",
            "--CharRnn:InstanceName", name, "--CharRnn:Slurm:PollSeconds", "1"];
        var starts = new List<double>();
        var delays = new ConcurrentQueue<double>();
        try
        {
            await using var a = await BenchHost.StartAsync(data, Settings("a"));
            await using var b = await BenchHost.StartAsync(data, Settings("b"));
            using var atA = new HttpClient { BaseAddress = a.Address };
            using var atB = new HttpClient { BaseAddress = b.Address };
            Log($"Machine: {BenchmarkReport.Machine()}; instances at {a.Address} and {b.Address}, Slurm: {(await Shell("sinfo -h -o '%P %D %c %t'")).Trim()}");
            using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(SyntheticText.Create(400_000))), "file", "synthetic.txt" } };
            var book = (await (await atA.PostAsync("/api/books", form)).Content.ReadFromJsonAsync<BookDto>(JsonSerializerOptions.Web))!;

            await using var watcher = new HubConnectionBuilder().WithUrl(new Uri(b.Address, "/hubs/training")).Build();
            watcher.On<int, MetricDto>("Progress", (_, m) => delays.Enqueue((DateTime.UtcNow - m.At).TotalMilliseconds));
            await watcher.StartAsync();
            for (var i = 0; i < runs; i++)
            {
                var request = new CreateRunRequest(book.Id, $"cluster bench {i + 1}", Hidden: 128, Layers: 2, BatchSize: 32, SequenceLength: 50,
                    EvaluateEvery: 100_000, Seed: i + 1, Device: "cpu");
                var clock = DateTime.UtcNow;
                var created = await (await atA.PostAsJsonAsync("/api/runs", request, JsonSerializerOptions.Web)).Content.ReadFromJsonAsync<RunDto>(JsonSerializerOptions.Web);
                await watcher.InvokeAsync<RunSnapshot>("Watch", created!.Id);
                RunDto run;
                while ((run = (await atB.GetFromJsonAsync<RunDto>($"/api/runs/{created.Id}", JsonSerializerOptions.Web))!).Step < 1)
                {
                    if (DateTime.UtcNow - clock > TimeSpan.FromMinutes(5))
                        throw new TimeoutException($"Run {created.Id} had no step after 5 minutes: {run.Status}, job {run.JobId} {run.JobState} {run.JobReason}, {run.Error} (its log is under the data folder's slurm/)");
                    await Task.Delay(50);
                }
                var first = (await atB.GetFromJsonAsync<List<MetricDto>>($"/api/runs/{created.Id}/metrics?take=1", JsonSerializerOptions.Web))![0];
                starts.Add((first.At - clock).TotalSeconds);
                Log($"run {created.Id}: job {run.JobId}, first step {starts[^1]:F2} s after the request");
                while ((run = (await atB.GetFromJsonAsync<RunDto>($"/api/runs/{created.Id}", JsonSerializerOptions.Web))!).Step < steps) await Task.Delay(200);
                await atB.PostAsync($"/api/runs/{created.Id}/cancel", null);
                while ((await atB.GetFromJsonAsync<RunDto>($"/api/runs/{created.Id}", JsonSerializerOptions.Web))!.Status == "running") await Task.Delay(200);
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
        Console.WriteLine();
        Console.WriteLine(table);
        if (output != "-")
        {
            BenchmarkReport.WriteSection(RepositoryPath.Resolve(output), "cluster",
                "## Cluster: the Slurm executor and two web instances (`CharRnn.Web bench cluster`)\n\n"
                + $"Command: `ConnectionStrings__Postgres=… ConnectionStrings__Redis=… {string.Join(" ", ["dotnet run -c Release --project src/CharRnn.Web -- bench cluster", .. args])}`\n\n"
                + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchmarkReport.Machine()}, with the one-node Slurm cluster of `scripts/slurm-one-node.sh` "
                + "(Debian's slurm-wlm 22.05, this machine as the only node), Debian's PostgreSQL and Redis, and two web instances in one process sharing "
                + $"a data folder. Each run (2×128, batch 32×50, CPU) was created on instance A and watched from instance B for {steps} steps. The first figure "
                + "is the first step's timestamp (written by the worker) minus the time the request was sent; the delays are a step's arrival at B's hub "
                + "client minus its timestamp, on one machine's clock: worker → Redis (SignalR's backplane) → instance B → client.\n\n" + table);
            Log($"Written to {output}");
        }
        return 0;
    }

    private static async Task<string> Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
