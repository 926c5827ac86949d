using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CharRnn.Inference.Lstm;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Events;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Operations;

/// <summary>
/// The app's OpenTelemetry metrics (meter <see cref="MeterName"/>), served in Prometheus format at <c>/metrics</c>:
/// runs by status, the active run's training steps/s and characters/s, sampling characters (a counter, and a rate over
/// the last <see cref="RateWindow"/>), passages being drawn, and watchers of training runs.
/// </summary>
public sealed class StudioMetrics : IDisposable
{
    public const string MeterName = "CharRnn.Studio";
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly Meter _meter;
    private readonly Counter<long> _sampled;
    private readonly IDbContextFactory<StudioDbContext> _db;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<LstmWeights, int> _streams = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, int> _watchers = new();
    private readonly Queue<(long At, long Characters)> _recentSamples = new();
    private readonly Lock _lock = new();
    private (int RunId, long Step, DateTime At, double CharsPerSecond, double StepsPerSecond)? _training;

    public StudioMetrics(IMeterFactory meters, IDbContextFactory<StudioDbContext> db, TrainingBroadcaster broadcaster)
    {
        _db = db;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("charrnn.runs", RunsByStatus, "{run}", "Runs in the store, by status.");
        _meter.CreateObservableGauge("charrnn.runs.health", RunsByHealth, "{run}", "Runs with a health warning, by condition (stuck, diverging, overfitting, stalled).");
        _meter.CreateObservableGauge("charrnn.training.steps_per_second", () => Training(t => t.StepsPerSecond), "{step}/s", "Training steps a second of the run training now, between its last two progress reports.");
        _meter.CreateObservableGauge("charrnn.training.characters_per_second", () => Training(t => t.CharsPerSecond), "{character}/s", "Characters a second the run training now learns from, as it reports them.");
        _sampled = _meter.CreateCounter<long>("charrnn.sampling.characters", "{character}", "Characters drawn by server-side sampling.");
        _meter.CreateObservableGauge("charrnn.sampling.characters_per_second", SamplingRate, "{character}/s", "Characters drawn a second by server-side sampling over the last 10 seconds.");
        _meter.CreateObservableGauge("charrnn.sampling.streams", () => _streams.Values.Sum(), "{passage}", "Passages being drawn on the server now.");
        _meter.CreateObservableGauge("charrnn.watchers", () => _watchers.Values.Sum(), "{watcher}", "Live watchers of training runs (hub connections and run pages).");
        _subscription = broadcaster.Subscribe(OnTraining);
    }

    /// <summary>Passages a batch is drawing for one checkpoint (0 when its loop ends).</summary>
    public void SetStreams(LstmWeights weights, int count)
    {
        if (count == 0) _streams.TryRemove(weights, out _);
        else _streams[weights] = count;
    }

    public void CharactersSampled(int count)
    {
        if (count == 0) return;
        _sampled.Add(count);
        lock (_lock)
        {
            _recentSamples.Enqueue((Stopwatch.GetTimestamp(), count));
            Trim();
        }
    }

    /// <summary>A watcher (a hub connection or a page, by its id) starts or stops watching a run.</summary>
    public void Watching(string watcher, bool watching) =>
        _watchers.AddOrUpdate(watcher, watching ? 1 : 0, (_, n) => Math.Max(0, n + (watching ? 1 : -1)));

    /// <summary>A watcher went away, with every run it watched.</summary>
    public void Gone(string watcher) => _watchers.TryRemove(watcher, out _);

    private void OnTraining(TrainingEvent e)
    {
        lock (_lock)
        {
            switch (e)
            {
                case ProgressEvent p:
                    var stepsPerSecond = _training is { } last && last.RunId == p.RunId && p.Metric.At > last.At
                        ? (p.Metric.Step - last.Step) / (p.Metric.At - last.At).TotalSeconds
                        : _training?.StepsPerSecond ?? 0;
                    _training = (p.RunId, p.Metric.Step, p.Metric.At, p.Metric.CharsPerSecond, stepsPerSecond);
                    break;
                case StatusChangedEvent s when s.RunId == _training?.RunId && s.Status != RunStatus.Running:
                    _training = null;
                    break;
            }
        }
    }

    private IEnumerable<Measurement<double>> Training(Func<(int RunId, long Step, DateTime At, double CharsPerSecond, double StepsPerSecond), double> figure)
    {
        lock (_lock)
            return _training is { } t ? [new Measurement<double>(figure(t), new KeyValuePair<string, object?>("run", t.RunId))] : [];
    }

    private double SamplingRate()
    {
        lock (_lock)
        {
            Trim();
            return _recentSamples.Sum(s => s.Characters) / RateWindow.TotalSeconds;
        }
    }

    private void Trim()
    {
        var oldest = Stopwatch.GetTimestamp() - (long)(RateWindow.TotalSeconds * Stopwatch.Frequency);
        while (_recentSamples.Count > 0 && _recentSamples.Peek().At < oldest) _recentSamples.Dequeue();
    }

    private IEnumerable<Measurement<long>> RunsByStatus()
    {
        using var context = _db.CreateDbContext();
        var counts = context.Runs.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.LongCount() }).ToDictionary(g => g.Status, g => g.Count);
        return Enum.GetValues<RunStatus>().Select(s => new Measurement<long>(counts.GetValueOrDefault(s), new KeyValuePair<string, object?>("status", s.Name()))).ToList();
    }

    private IEnumerable<Measurement<long>> RunsByHealth()
    {
        using var context = _db.CreateDbContext();
        var counts = context.Runs.Where(r => r.HealthJson != null).Select(r => r.HealthJson!).AsEnumerable()
            .Select(json => System.Text.Json.JsonSerializer.Deserialize<RunHealth>(json, ContractsJson.Options)!.Condition).CountBy(c => c).ToDictionary();
        return Enum.GetValues<HealthCondition>().Select(c => new Measurement<long>(counts.GetValueOrDefault(c), new KeyValuePair<string, object?>("condition", ContractsJson.Name(c)))).ToList();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _meter.Dispose();
    }
}
