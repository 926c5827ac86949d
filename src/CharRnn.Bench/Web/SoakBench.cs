using System.Collections.Concurrent;
using System.CommandLine;
using CharRnn.Bench.Reports;
using CharRnn.Training.Devices;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Bench.Web;

/// <summary>
/// <c>charrnn-bench soak</c>: the notebook's model trains while 20 SignalR
/// clients watch it and 4 clients sample from a 2×512 checkpoint (2 one passage at a time, 2 as variations requests of 2
/// passages), for 10 minutes. Prints the errors, how far the slowest watcher fell behind the run, resident memory at
/// minute 1 and at the end, and training steps/s against the same run training with nobody watching or sampling.
/// </summary>
public static class SoakBench
{
    private static readonly Option<int> Minutes = new("--minutes") { Description = "How long the soak lasts.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> AloneSeconds = new("--alone-seconds") { Description = "Seconds the run trains alone first.", DefaultValueFactory = _ => 90 };
    private static readonly Option<int> Watchers = new("--watchers") { Description = "Clients watching the run.", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> SamplerPause = new("--sampler-pause-seconds") { Description = "Each sampler's pause between requests.", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> SampleLength = new("--sample-length") { Description = "Characters each sampling request draws.", DefaultValueFactory = _ => 500 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("soak", "Train while 20 clients watch and 4 sample, for 10 minutes: errors, lag, memory, training speed.")
        {
            Minutes, AloneSeconds, Watchers, SamplerPause, SampleLength, Output,
        };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var (minutes, aloneSeconds, watcherCount) = (parse.GetValue(Minutes), parse.GetValue(AloneSeconds), parse.GetValue(Watchers));
        var pause = TimeSpan.FromSeconds(parse.GetValue(SamplerPause));
        var sampleLength = parse.GetValue(SampleLength);
        void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

        // Every client here comes from 127.0.0.1: the per-client sampling limit (2) would refuse the four samplers.
        await using var host = await BenchHost.StartAsync("--CharRnn:Limits:MaxConcurrentSamplingsPerClient", "8");
        var address = host.Address;
        using var http = new HttpClient { BaseAddress = address };
        Log($"Machine: {BenchmarkReport.Machine()}; server at {address}");
        var checkpointId = await BenchHost.ImportRandomModelAsync(address);
        // 30 million characters: one epoch (about 2,100 steps) outlasts the bench, so no epoch-end evaluation falls in
        // one of the two windows and not the other.
        var runId = await BenchClient.StartTrainingAsync(http, epochs: 1, characters: 30_000_000);
        Log($"run {runId} (the notebook's 2×512, batch 128×100) trains; sampling from checkpoint {checkpointId}");
        await BenchClient.WaitForStepAsync(http, runId, 3);

        // Training alone: nobody watches or samples.
        var aloneFrom = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(aloneSeconds));
        var aloneTo = DateTime.UtcNow;
        Log($"training alone for {aloneSeconds} s; now {watcherCount} watchers and 4 samplers for {minutes} minute(s)");

        var errors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var watchers = new List<Watcher>();
        for (var i = 0; i < watcherCount; i++) watchers.Add(await Watcher.StartAsync(address, runId, errors));
        var samplers = new List<Task<long>>
        {
            SampleLoopAsync(address, checkpointId, variations: 1, sampleLength, pause, errors, stop.Token),
            SampleLoopAsync(address, checkpointId, variations: 1, sampleLength, pause, errors, stop.Token),
            SampleLoopAsync(address, checkpointId, variations: 2, sampleLength, pause, errors, stop.Token),
            SampleLoopAsync(address, checkpointId, variations: 2, sampleLength, pause, errors, stop.Token),
        };

        var soakFrom = DateTime.UtcNow;
        var resident = await ReadResidentMemoryAsync(TimeSpan.FromMinutes(minutes), elapsed =>
            Log($"{elapsed.TotalMinutes:F1} min: resident {NativeMemory.ResidentBytes() / 1e6:N0} MB (GC heap {GC.GetTotalMemory(false) / 1e6:N0} MB); "
                + $"slowest watcher {watchers.Max(w => w.MaxLag).TotalSeconds:F2} s behind at worst; errors {errors.Count}"));
        var soakTo = DateTime.UtcNow;
        var end = TimeSpan.FromMinutes(minutes);
        var (atMinute1, atEnd) = (PeakIn(resident, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)), PeakIn(resident, end - TimeSpan.FromSeconds(30), end));
        var (lowAtMinute1, lowAtEnd) = (LowIn(resident, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)), LowIn(resident, end - TimeSpan.FromSeconds(30), end));
        stop.Cancel();
        var sampled = (await Task.WhenAll(samplers)).Sum();
        await Task.Delay(2000); // the last steps reach the watchers
        var metrics = await BenchClient.MetricsAsync(http, runId);
        await http.PostAsync($"/api/runs/{runId}/cancel", null);
        foreach (var w in watchers) await w.DisposeAsync();

        // Every step done while a watcher watched must have reached it, in order.
        var lastStep = metrics.Where(m => m.At <= soakTo).Max(m => m.Step);
        foreach (var (w, i) in watchers.Select((w, i) => (w, i)))
            if (w.Missing(lastStep) is > 0 and var missing) errors.Enqueue($"watcher {i} missed {missing} live step(s)");

        var stepsAlone = BenchClient.StepsPerSecond(metrics, aloneFrom, aloneTo);
        var stepsSoak = BenchClient.StepsPerSecond(metrics, soakFrom, soakTo);
        var lag = watchers.Max(w => w.MaxLag);
        var lags = watchers.SelectMany(w => w.Lags).Order().ToList();
        var p99 = lags.Count > 0 ? lags[(int)(0.99 * (lags.Count - 1))] : TimeSpan.Zero;
        var memoryChange = (double)atEnd / atMinute1 - 1;
        foreach (var e in errors.Take(10)) Log($"error: {e}");

        var table = BenchmarkReport.Table(
        [
            ("Errors (client exceptions, refused requests, live steps a watcher missed)", $"{errors.Count}", "0", errors.IsEmpty),
            ($"Slowest watcher's largest delay behind the run (of {lags.Count:N0} live steps received; 99th percentile {p99.TotalSeconds:F2} s)", $"{lag.TotalSeconds:F2} s", "≤ 2 s", lag <= TimeSpan.FromSeconds(2)),
            ($"Resident memory at minute 1 / minute {minutes} (highest reading of the 30 s before)", $"{atMinute1 / 1e6:N0} / {atEnd / 1e6:N0} MB ({memoryChange:+0.0%;-0.0%})", "within 10 %", Math.Abs(memoryChange) <= 0.10),
            ("Lowest reading in the same windows (within a step's rise and fall)", $"{lowAtMinute1 / 1e6:N0} / {lowAtEnd / 1e6:N0} MB", "", null),
            ("Training, nobody watching or sampling", $"{stepsAlone:F3} steps/s", "", null),
            ($"Training, {watcherCount} watchers and 4 samplers", $"{stepsSoak:F3} steps/s ({stepsSoak / stepsAlone:P1})", "≥ 85 %", stepsSoak / stepsAlone >= 0.85),
            ("Characters sampled during the soak", $"{sampled:N0}", "", null),
        ]);
        BenchmarkReport.Write(parse.GetValue(Output)!, "soak", "Soak: training watched by 20 and sampled by 4 (`soak`)",
                ". One process: the app on 127.0.0.1 with its defaults "
                + "(training on all cores but one), and the clients (C# SignalR clients). The run is the notebook's 2×512 model on 30,000,000 synthetic "
                + $"characters (one epoch outlasts the bench, so it never evaluates), first alone for {aloneSeconds} s, then for {minutes} minutes with {watcherCount} clients watching it "
                + $"(`Watch`, then every `Progress`) and 4 sampling a random 2×512 model: 2 asking `Sample` for {sampleLength} characters at a time, "
                + $"2 asking `SampleVariations` for 2 passages of {sampleLength}, each pausing {pause.TotalSeconds:N0} s between requests as a reader would. "
                + "A watcher's delay is the time from the server's timestamp of a step to its arrival; memory is the process's resident set, read every "
                + "second (it rises and falls within each training step, so each figure is the highest reading of the 30 seconds before it); "
                + "steps/s come from the run's own step timestamps. All clients share 127.0.0.1, so the per-client sampling limit is raised to 8.",
                table);
        return 0;
    }

    /// <summary>
    /// Resident memory every second for <paramref name="duration"/>, with a progress line every 10 s. It rises and falls
    /// within each training step (libtorch allocates and frees its activations) by more than 10 % of the whole, so the
    /// bench compares the highest reading of the 30 seconds up to minute 1 with that of the 30 seconds up to the end.
    /// </summary>
    private static async Task<List<(TimeSpan At, long Bytes)>> ReadResidentMemoryAsync(TimeSpan duration, Action<TimeSpan> progress)
    {
        var from = DateTime.UtcNow;
        var resident = new List<(TimeSpan At, long Bytes)>();
        var lastLog = TimeSpan.Zero;
        while (DateTime.UtcNow - from < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var elapsed = DateTime.UtcNow - from;
            resident.Add((elapsed, NativeMemory.ResidentBytes()));
            if (elapsed - lastLog < TimeSpan.FromSeconds(10)) continue;
            lastLog = elapsed;
            progress(elapsed);
        }
        return resident;
    }

    private static long PeakIn(List<(TimeSpan At, long Bytes)> readings, TimeSpan from, TimeSpan to) =>
        readings.Where(r => r.At >= from && r.At <= to).Select(r => r.Bytes).DefaultIfEmpty(readings[^1].Bytes).Max();

    private static long LowIn(List<(TimeSpan At, long Bytes)> readings, TimeSpan from, TimeSpan to) =>
        readings.Where(r => r.At >= from && r.At <= to).Select(r => r.Bytes).DefaultIfEmpty(readings[^1].Bytes).Min();

    /// <summary>Samples in a loop until stopped; returns the characters received.</summary>
    private static async Task<long> SampleLoopAsync(Uri address, int checkpointId, int variations, int length, TimeSpan pause, ConcurrentQueue<string> errors, CancellationToken stop)
    {
        await using var hub = BenchClient.Hub(address, "/hubs/sampling");
        await hub.StartAsync();
        long received = 0;
        var seed = Random.Shared.Next();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (variations == 1)
                    await foreach (var chunk in hub.StreamAsync<string>("Sample", new SampleRequest(checkpointId, "The ", length, 1.0, 5, seed++)))
                        received += chunk.Length;
                else
                    await foreach (var chunk in hub.StreamAsync<VariationChunk>("SampleVariations", new VariationsRequest(checkpointId, "The ", length, 1.0, 5, seed++, variations)))
                        received += chunk.Text.Length;
            }
            catch (Exception e) { errors.Enqueue($"sampler: {e.Message}"); }
            try { await Task.Delay(pause, stop); } catch (OperationCanceledException) { }
        }
        return received;
    }

    /// <summary>A client watching the run: its snapshot, then every live step, each with how late it arrived.</summary>
    private sealed class Watcher : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly ConcurrentBag<long> _steps = [];
        private long _firstLive = long.MaxValue;

        private Watcher(HubConnection hub) => _hub = hub;

        public ConcurrentQueue<TimeSpan> Lags { get; } = new();
        public TimeSpan MaxLag => Lags.IsEmpty ? TimeSpan.Zero : Lags.Max();

        public static async Task<Watcher> StartAsync(Uri address, int runId, ConcurrentQueue<string> errors)
        {
            var hub = BenchClient.Hub(address, "/hubs/training");
            var watcher = new Watcher(hub);
            hub.On<int, MetricDto>("Progress", (_, metric) =>
            {
                watcher.Lags.Enqueue(DateTime.UtcNow - metric.At);
                watcher._steps.Add(metric.Step);
                InterlockedMin(ref watcher._firstLive, metric.Step);
            });
            hub.Closed += e => { if (e is not null) errors.Enqueue($"watcher: {e.Message}"); return Task.CompletedTask; };
            await hub.StartAsync();
            await hub.InvokeAsync<RunSnapshot>("Watch", runId);
            return watcher;
        }

        /// <summary>Steps from the first live one up to <paramref name="last"/> that never arrived.</summary>
        public long Missing(long last)
        {
            var seen = _steps.ToHashSet();
            return _firstLive == long.MaxValue ? last : Enumerable.Range(0, (int)Math.Max(0, last - _firstLive + 1)).Count(i => !seen.Contains(_firstLive + i));
        }

        private static void InterlockedMin(ref long target, long value)
        {
            for (var current = Interlocked.Read(ref target); value < current; current = Interlocked.Read(ref target))
                if (Interlocked.CompareExchange(ref target, value, current) == current) return;
        }

        public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
    }
}
