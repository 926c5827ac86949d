using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Cluster;

/// <summary>
/// The Slurm executor on a real one-node cluster (Debian's slurm-wlm and munge, <c>scripts/slurm-one-node.sh</c>) with
/// PostgreSQL, Redis and two web instances: runs are batch jobs running <c>CharRnn.Web.dll worker RUN_ID</c>.
/// <c>.ci/run</c> starts them all and sets <c>CHARRNN_TEST_SLURM</c>; elsewhere the test is skipped, and says so.
/// </summary>
[Slow(SlowBecause.Service)]
public class SlurmTests : SharedServicesTest
{
    private StudioServer Instance(string name) => new(Data, Store, new Dictionary<string, string>
    {
        ["CharRnn:InstanceName"] = name, ["ConnectionStrings:Redis"] = Redis!, ["CharRnn:Executor"] = "Slurm", ["CharRnn:Slurm:PollSeconds"] = "1",
    });

    private static async Task<RunDto> WaitAsync(StudioServer server, int runId, Func<RunDto, bool> condition, string what, int seconds = 120)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await server.GetAsync<RunDto>($"/api/runs/{runId}");
            if (condition(run)) return run;
            if (clock.Elapsed.TotalSeconds > seconds)
                throw new TimeoutException($"Waited {seconds} s for {what}; the run is {run.Status} at step {run.Step}, job {run.JobId} {run.JobState} {run.JobReason}, error {run.Error}");
            await Task.Delay(200);
        }
    }

    private static async Task<string> ShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    /// <summary>
    /// Requeues a job as a lost node would have it requeued, eligible two seconds later: Slurm holds a requeued job back
    /// for two minutes (its begin time), which a test need not wait out; but slurmd remembers the killed job's revoked
    /// credential to the second, and refuses a start within that second ("Job credential revoked": the job then fails
    /// instead of running, as one full run showed).
    /// </summary>
    private static async Task RequeueAsync(string jobId)
    {
        await ShellAsync($"scontrol requeue {jobId}");
        await ShellAsync($"scontrol update JobId={jobId} StartTime=now+2");
    }

    [SkippableFact]
    public async Task A_run_trains_as_a_slurm_job_watched_cancelled_and_resumed_through_another_instance_and_survives_a_killed_worker()
    {
        Skip.If(Environment.GetEnvironmentVariable("CHARRNN_TEST_SLURM") is null || ServicesMissing,
            "Set CHARRNN_TEST_SLURM (a one-node cluster: scripts/slurm-one-node.sh), CHARRNN_TEST_POSTGRES and CHARRNN_TEST_REDIS to run this test.");
        using var a = Instance("a");
        using var b = Instance("b");
        var book = await a.UploadBookAsync(StudioClient.Repeated(200));
        var created = await a.CreateRunAsync(StudioClient.TinyRun(book.Id, StudioClient.Tiny(epochs: 25, evaluateEvery: 25) with { Hidden = 128, BatchSize = 16, SequenceLength = 40 }));

        // Instance A queued it; a Slurm job trains it.
        var first = await WaitAsync(b, created.Id, r => r.Status == RunStatus.Running && r.JobState == "RUNNING" && r.Step > 0, "the job to train");
        Assert.Matches("^[0-9]+$", first.JobId!);

        // A watcher on instance B: the history, then live points from the worker.
        await using var watcher = b.Hub("/hubs/training");
        var live = new ConcurrentQueue<MetricDto>();
        watcher.On<int, MetricDto>("Progress", (_, m) => live.Enqueue(m));
        await watcher.StartAsync();
        var snapshot = await watcher.InvokeAsync<RunSnapshot>("Watch", created.Id);
        Assert.NotEmpty(snapshot.Metrics);
        for (var i = 0; i < 100 && live.Count < 5; i++) await Task.Delay(100);
        Assert.True(live.Count >= 5, $"{live.Count} live points from the worker reached instance B's watcher");

        // Cancel through B: the worker saves a checkpoint and exits, and the job ends.
        Assert.Equal(HttpStatusCode.Accepted, (await b.Http.PostAsync($"/api/runs/{created.Id}/cancel", null)).StatusCode);
        var cancelled = await WaitAsync(b, created.Id, r => r.Status == RunStatus.Cancelled, "the cancel");
        Assert.Contains(await b.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={created.Id}"), c => c.Step == cancelled.Step);

        // Resume through B: a new job continues the curve from that checkpoint.
        Assert.Equal(HttpStatusCode.Accepted, (await b.Http.PostAsync($"/api/runs/{created.Id}/resume", null)).StatusCode);
        var resumed = await WaitAsync(a, created.Id, r => r.Status == RunStatus.Running && r.JobId != first.JobId && r.Step > cancelled.Step + 30, "the resumed job");

        // SIGKILL the worker mid-run (no checkpoint, no goodbye), then requeue its job: it resumes from the newest checkpoint.
        var worker = await ShellAsync($"pgrep -f 'CharRnn.Web.dll worker {created.Id}$' | head -1");
        Assert.Matches("^[0-9]+$", worker);
        await ShellAsync($"kill -9 {worker}");
        await Task.Delay(500);
        await RequeueAsync(resumed.JobId!);
        var done = await WaitAsync(a, created.Id, r => r.Status == RunStatus.Completed, "the requeued job to finish the run", seconds: 240);

        var metrics = await a.GetAsync<List<MetricDto>>($"/api/runs/{created.Id}/metrics");
        Assert.Equal(done.TotalSteps, metrics.Count);
        Assert.Equal(metrics.Count, metrics.Select(m => m.Step).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, (int)done.TotalSteps).Select(i => (long)i), metrics.Select(m => m.Step).Order());
    }

    [SkippableFact]
    public async Task A_sweep_runs_its_trials_as_jobs_two_at_a_time_stops_one_in_its_worker_and_survives_a_killed_worker()
    {
        Skip.If(Environment.GetEnvironmentVariable("CHARRNN_TEST_SLURM") is null || ServicesMissing,
            "Set CHARRNN_TEST_SLURM (a one-node cluster: scripts/slurm-one-node.sh), CHARRNN_TEST_POSTGRES and CHARRNN_TEST_REDIS to run this test.");
        using var a = Instance("a");
        var book = await a.UploadBookAsync(StudioClient.Repeated(200));
        // Four rates, two at a time; each trial long enough (360 steps of a 1×128 model, rungs at 40 and 120) to be seen running and killed.
        var sweep = await a.CreateSweepAsync(new CreateSweepRequest(book.Id, new() { ["learningRate"] = SweepClient.Values(0.01, 0.003, 0.001, 0.0005) },
            Base: SweepClient.Base("quick", ("hidden", 128), ("layers", 1), ("batchSize", 16), ("sequenceLength", 40), ("epochs", 30), ("evaluateEvery", 50),
                ("evaluationBatches", 0), ("seed", 1), ("device", "cpu"), ("precision", "float32"), ("threads", 1)),
            EarlyStopping: new EarlyStopping(), Concurrency: 2));
        var jobName = $"charrnn-sweep-{sweep.Id}-";

        // Two jobs at once, as squeue shows them, and never more.
        var most = 0;
        var clock = Stopwatch.StartNew();
        while (most < 2 && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var running = (await ShellAsync("squeue -h -t RUNNING -o %j")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(n => n.StartsWith(jobName));
            most = Math.Max(most, running);
            await Task.Delay(200);
        }
        Assert.Equal(2, most);
        var submitted = (await ShellAsync("squeue -h -o %j")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(n => n.StartsWith(jobName));
        Assert.Equal(2, submitted); // the other two wait in the store, not in Slurm's queue

        // SIGKILL the worker of a trial that went past its first rung, then requeue its job: it resumes from its newest checkpoint.
        TrialDto? target = null;
        for (clock.Restart(); target is null && clock.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(100))
            target = (await a.GetAsync<SweepDto>($"/api/sweeps/{sweep.Id}")).Trials
                .FirstOrDefault(t => t.Status == RunStatus.Running && t.Rungs is [{ Continued: true }] && t.Step > t.Rungs[0].Step + 20);
        Assert.NotNull(target);
        var job = (await a.GetAsync<RunDto>($"/api/runs/{target.RunId}")).JobId;
        var worker = await ShellAsync($"pgrep -f 'CharRnn.Web.dll worker {target.RunId}$' | head -1");
        Assert.Matches("^[0-9]+$", worker);
        await ShellAsync($"kill -9 {worker}");
        await Task.Delay(500);
        await RequeueAsync(job!);

        var ended = await a.WaitForSweepAsync(sweep.Id, TimeSpan.FromMinutes(6));
        Assert.Equal(SweepStatus.Completed, ended.Status);
        Assert.NotNull(ended.BestRunId);
        // Stopped by the judge in the worker that trains it, with its reason, as stopped.
        var stopped = ended.Trials.Where(t => t.Status == RunStatus.Stopped).ToList();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, t => Assert.StartsWith($"Stopped at rung {t.Rungs[^1].Rung} (step {t.Rungs[^1].Step:N0})", t.Reason));
        var killed = ended.Trials.Single(t => t.RunId == target.RunId);
        Assert.Contains(killed.Status, new[] { RunStatus.Completed, RunStatus.Stopped });
        var metrics = await a.GetAsync<List<MetricDto>>($"/api/runs/{killed.RunId}/metrics");
        Assert.Equal(Enumerable.Range(1, (int)killed.Step).Select(i => (long)i), metrics.Select(m => m.Step)); // every step once
    }

    [SkippableFact]
    public async Task A_run_asking_for_cuda_asks_the_cluster_for_a_gpu_though_this_web_host_has_none()
    {
        Skip.If(Environment.GetEnvironmentVariable("CHARRNN_TEST_SLURM") is null || ServicesMissing,
            "Set CHARRNN_TEST_SLURM (a one-node cluster: scripts/slurm-one-node.sh), CHARRNN_TEST_POSTGRES and CHARRNN_TEST_REDIS to run this test.");
        Skip.If(CharRnn.Training.Devices.TrainingDevices.CudaAvailable, "This host has a GPU: the test is about a web host without one.");
        using var a = Instance("a");
        var book = await a.UploadBookAsync(StudioClient.Repeated(50));

        // Queued from its own options: this host's lack of a GPU neither refuses it nor turns it into a CPU run.
        var created = await a.CreateRunAsync(StudioClient.TinyRun(book.Id, StudioClient.Tiny(epochs: 1) with { Device = DeviceChoice.Cuda }));
        Assert.Equal(TrainingDevice.Cuda, created.Device);
        var submitted = await WaitAsync(a, created.Id, r => r.JobId is { } id && id.All(char.IsDigit), "the job's submission");
        Assert.Matches(@"gres[:/]gpu[:=]1", await ShellAsync($"scontrol show job {submitted.JobId}"));

        // The test cluster's GPU has no device behind it: the worker on the node finds none and says so.
        var failed = await WaitAsync(a, created.Id, r => r.Status == RunStatus.Failed, "the worker to find no GPU on the node");
        Assert.Contains("CUDA was asked for, but this machine has no GPU", failed.Error);
    }
}
