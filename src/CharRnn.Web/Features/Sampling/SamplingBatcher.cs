using System.Collections.Concurrent;
using System.Threading.Channels;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Web.Features.Operations;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Sampling;

/// <summary>
/// Draws every passage of one checkpoint that is under way at the same time in one batch (<see cref="DrawBatch"/>): one
/// pass over the weights advances each of them by a character, as LLM servers batch requests. A passage joins at the
/// next step and leaves when drawn or when its reader goes away; each one's text is what it would be alone for its seed.
/// One loop thread per checkpoint in use, ended when it has nothing left to draw.
/// </summary>
public sealed class SamplingBatcher(IOptions<StudioOptions> options, StudioMetrics metrics, ILogger<SamplingBatcher> log)
{
    /// <summary>Passages one batch steps at once; more wait for a place (the server's limits keep this rare).</summary>
    public const int Capacity = 16;

    private readonly ConcurrentDictionary<LstmWeights, BatchLoop> _loops = new(ReferenceEqualityComparer.Instance);
    private readonly StudioMetrics _metrics = metrics;
    private readonly ILogger _log = log;

    /// <summary>
    /// The characters of one passage as they are drawn (one code point each, the first drawn one included, the prime
    /// not); the reader completes when the passage is drawn, and then <paramref name="draw"/> says why it ended;
    /// cancelling <paramref name="ct"/> takes it out of the batch.
    /// </summary>
    public ChannelReader<string> Draw(LstmWeights weights, SampleDraw draw, CancellationToken ct)
    {
        var passage = new Passage(draw, ct);
        if (passage.Draw.First is { } first) passage.Write(first);
        if (passage.Draw.Finished)
        {
            passage.Complete(null);
            return passage.Reader;
        }
        while (!_loops.GetOrAdd(weights, w => new BatchLoop(w, this)).TryAdd(passage)) { } // that loop was just closing: a new one
        return passage.Reader;
    }

    private int Threads => options.Value.SamplingThreads ?? Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    private sealed class Passage(SampleDraw draw, CancellationToken ct)
    {
        private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        public SampleDraw Draw { get; } = draw;
        public CancellationToken Cancelled { get; } = ct;
        public ChannelReader<string> Reader => _channel.Reader;
        public void Write(string text) => _channel.Writer.TryWrite(text);
        public void Complete(Exception? error) => _channel.Writer.TryComplete(error);
    }

    private sealed class BatchLoop(LstmWeights weights, SamplingBatcher owner)
    {
        private readonly Lock _lock = new();
        private readonly Queue<Passage> _waiting = new();
        private readonly List<Passage> _drawing = [];
        private bool _running;
        private bool _closed;

        public bool TryAdd(Passage passage)
        {
            lock (_lock)
            {
                if (_closed) return false;
                _waiting.Enqueue(passage);
                if (!_running)
                {
                    _running = true;
                    new Thread(Run) { IsBackground = true, Name = "Sampling batch" }.Start();
                }
                return true;
            }
        }

        private void Run()
        {
            var batch = new DrawBatch(weights, Capacity, owner.Threads);
            var byDraw = new Dictionary<SampleDraw, Passage>();
            try
            {
                while (true)
                {
                    lock (_lock)
                    {
                        foreach (var gone in _drawing.Where(p => p.Cancelled.IsCancellationRequested).ToList())
                        {
                            batch.Remove(gone.Draw);
                            Leave(gone, new OperationCanceledException(gone.Cancelled));
                        }
                        while (_waiting.Count > 0 && batch.Count < batch.Capacity)
                        {
                            var next = _waiting.Dequeue();
                            if (next.Cancelled.IsCancellationRequested) { next.Complete(new OperationCanceledException(next.Cancelled)); continue; }
                            batch.TryAdd(next.Draw);
                            _drawing.Add(next);
                            byDraw[next.Draw] = next;
                        }
                        if (_drawing.Count == 0)
                        {
                            _closed = true;
                            owner._loops.TryRemove(new(weights, this));
                            return;
                        }
                        owner._metrics.SetStreams(weights, _drawing.Count);
                    }
                    var drawn = 0;
                    foreach (var done in batch.Step((draw, text) => { byDraw[draw].Write(text); drawn++; }))
                    {
                        lock (_lock) Leave(byDraw[done], null);
                    }
                    owner._metrics.CharactersSampled(drawn);
                }
            }
            catch (Exception e)
            {
                owner._log.LogError(e, "A sampling batch failed; its {Count} passage(s) end with the error", _drawing.Count);
                lock (_lock)
                {
                    _closed = true;
                    owner._loops.TryRemove(new(weights, this));
                    foreach (var p in _drawing.Concat(_waiting)) p.Complete(e);
                }
            }
            finally
            {
                owner._metrics.SetStreams(weights, 0);
            }

            void Leave(Passage passage, Exception? error)
            {
                _drawing.Remove(passage);
                byDraw.Remove(passage.Draw);
                passage.Complete(error);
            }
        }
    }
}
