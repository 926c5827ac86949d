namespace CharRnn.Inference.Inside;

/// <summary>
/// Reads a long text (a held-out passage of 20,000 characters) through a model and hands every layer's state at every
/// character to a visitor. A 2×512 model reads one character at a time at a few thousand a second, bound by reading its
/// 13 MB of weights each step; cut into pieces stepped side by side in one <see cref="LstmBatch"/>, one pass over the
/// weights advances every piece. Each piece but the first begins <c>warmUp</c> characters early, from a zero state, and
/// its states are handed over only from its own start, by when the early start has washed out (a char-rnn's state
/// forgets within tens of characters). Pieces and warm-ups begin at line starts where the text has newlines, since
/// what a state holds over long stretches (inside quotes, say) starts afresh there, as it does at the text's start. With
/// one piece the states are exactly <see cref="LstmEngine"/>'s.
/// </summary>
public static class StateWalk
{
    public delegate void Visitor(int position, int layer, ReadOnlySpan<float> state);

    /// <summary>Pieces shorter than this are not worth their warm-up.</summary>
    private const int ShortestPiece = 1000;

    /// <param name="pieces">At most this many pieces side by side; fewer for a short text.</param>
    /// <param name="threads">Threads that share each step's products.</param>
    /// <param name="ct">Stops the walk between steps (a client that went away).</param>
    public static void Walk(LstmWeights weights, int[] tokens, Visitor visit, int pieces = 1, int warmUp = 100, int threads = 1, CancellationToken ct = default)
    {
        if (tokens.Length == 0) return;
        pieces = Math.Clamp(tokens.Length / ShortestPiece, 1, Math.Max(1, pieces));
        var newline = weights.Vocabulary.TryGetId(new System.Text.Rune('\n'), out var id) ? id : -1;
        int LineStart(int at, int limit)
        {
            var next = newline < 0 ? -1 : Array.IndexOf(tokens, newline, at, Math.Max(0, limit - at));
            return next < 0 ? at : next + 1;
        }
        var starts = new int[pieces + 1];
        for (var i = 1; i < pieces; i++) starts[i] = Math.Max(starts[i - 1], LineStart((int)((long)tokens.Length * i / pieces), tokens.Length));
        starts[pieces] = tokens.Length;
        var batch = new LstmBatch(weights, pieces, threads);
        var slots = Enumerable.Range(0, pieces).Select(_ => batch.Join()).ToArray();
        var cursors = Enumerable.Range(0, pieces).Select(i => i == 0 ? 0 : LineStart(Math.Max(0, starts[i] - warmUp), starts[i])).ToArray();
        var (active, stepTokens) = (new List<int>(pieces), new List<int>(pieces));
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            active.Clear();
            stepTokens.Clear();
            for (var i = 0; i < pieces; i++)
                if (cursors[i] < starts[i + 1])
                {
                    active.Add(i);
                    stepTokens.Add(tokens[cursors[i]]);
                }
            if (active.Count == 0) return;
            var stepSlots = active.Select(i => slots[i]).ToArray();
            batch.Step(stepSlots, stepTokens.ToArray());
            foreach (var i in active)
            {
                var position = cursors[i]++;
                if (position < starts[i]) continue;
                for (var layer = 0; layer < weights.Config.Layers; layer++) visit(position, layer, batch.LayerState(slots[i], layer));
            }
        }
    }
}
