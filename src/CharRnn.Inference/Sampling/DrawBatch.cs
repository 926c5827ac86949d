using CharRnn.Inference.Lstm;

namespace CharRnn.Inference.Sampling;

/// <summary>
/// Passages drawn together from one model: each step feeds every passage its next token through one
/// <see cref="LstmBatch"/> step and lets each draw from its own logits with its own seed. Passages are added and removed
/// between steps (a new request joins at once, one whose reader left goes), and leave by themselves once drawn.
/// Not thread-safe: one loop owns it.
/// </summary>
public sealed class DrawBatch(LstmWeights weights, int capacity, int threads = 1, MatVecKernel kernel = MatVecKernel.Auto)
{
    private readonly LstmBatch _batch = new(weights, capacity, threads, kernel);
    private readonly List<(SampleDraw Draw, int Slot)> _draws = [];
    private int[] _slots = [];
    private int[] _tokens = [];

    public LstmWeights Weights => weights;

    public int Count => _draws.Count;

    public int Capacity => _batch.Capacity;

    /// <summary>Adds a passage (its <see cref="SampleDraw.First"/>, if any, is the caller's to hand out); false when full.</summary>
    public bool TryAdd(SampleDraw draw)
    {
        if (draw.Finished) return true; // nothing left to step (a one-character passage without a prime)
        var slot = _batch.Join();
        if (slot < 0) return false;
        _draws.Add((draw, slot));
        return true;
    }

    /// <summary>Takes a passage out before it is drawn (its reader went away).</summary>
    public void Remove(SampleDraw draw)
    {
        var i = _draws.FindIndex(d => d.Draw == draw);
        if (i < 0) return;
        _batch.Leave(_draws[i].Slot);
        _draws.RemoveAt(i);
    }

    /// <summary>
    /// Advances every passage by one token; <paramref name="drawn"/> gets each character drawn (passages still priming
    /// draw none). Returns the passages that finished in this step, which have left the batch.
    /// </summary>
    public IReadOnlyList<SampleDraw> Step(Action<SampleDraw, string> drawn)
    {
        var n = _draws.Count;
        if (n == 0) return [];
        if (_slots.Length < n) (_slots, _tokens) = (new int[_batch.Capacity], new int[_batch.Capacity]);
        for (var i = 0; i < n; i++) (_slots[i], _tokens[i]) = (_draws[i].Slot, _draws[i].Draw.NextToken);
        _batch.Step(_slots.AsSpan(0, n), _tokens.AsSpan(0, n));

        List<SampleDraw>? finished = null;
        for (var i = 0; i < n; i++)
        {
            var draw = _draws[i].Draw;
            if (draw.Accept(_batch.Logits(i)) is { } text) drawn(draw, text);
            if (draw.Finished) (finished ??= []).Add(draw);
        }
        if (finished is null) return [];
        foreach (var draw in finished) Remove(draw);
        return finished;
    }
}
