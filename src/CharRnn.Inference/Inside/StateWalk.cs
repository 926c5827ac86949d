using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Inside;

/// <summary>
/// The one walk of a text through a model, character by character, handing each layer's state at each position to a
/// visitor: the states API, Discover, select-and-match, the gates and the page's own reading all go through it.
/// <para>
/// A character the model lacks (<see cref="Vocabulary.ReadPast"/>) is read past: the model is not stepped, and the
/// position gets the state carried over from the one before (the zero state at the start), so a stray quote typed into
/// a text leaves the rest of it read as it would be without it.
/// </para>
/// <para>
/// A long text (a held-out passage of 20,000 characters) is cut into pieces stepped side by side in one
/// <see cref="LstmBatch"/>: a 2×512 model reads one character at a time at a few thousand a second, bound by reading
/// its 13 MB of weights each step, and one pass over the weights advances every piece. Each piece but the first begins
/// <c>warmUp</c> characters early, from a zero state, and its states are handed over only from its own start, by when
/// the early start has washed out (a char-rnn's state forgets within tens of characters). Pieces and warm-ups begin at
/// line starts where the text has newlines, since what a state holds over long stretches (inside quotes, say) starts
/// afresh there, as it does at the text's start. With one piece the states are exactly <see cref="LstmEngine"/>'s.
/// </para>
/// </summary>
public static class StateWalk
{
    public delegate void Visitor(int position, int layer, ReadOnlySpan<float> state);

    /// <summary>Called once a position's layers have been visited: the logits for the next character, empty where the character was read past.</summary>
    public delegate void Stepped(int position, ReadOnlySpan<float> logits);

    /// <summary>Pieces shorter than this are not worth their warm-up.</summary>
    private const int ShortestPiece = 1000;

    /// <summary>Reads <paramref name="tokens"/> from a zero state.</summary>
    /// <param name="pieces">At most this many pieces side by side; fewer for a short text.</param>
    /// <param name="threads">Threads that share each step's products.</param>
    /// <param name="layers">The layers visited; every layer when null.</param>
    /// <param name="ct">Stops the walk between steps (a client that went away).</param>
    public static void Walk(LstmWeights weights, int[] tokens, Visitor visit, int pieces = 1, int warmUp = 100, int threads = 1,
        IReadOnlyList<int>? layers = null, CancellationToken ct = default)
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
        var cursors = Enumerable.Range(0, pieces).Select(i => i == 0 ? 0 : LineStart(Math.Max(0, starts[i] - warmUp), starts[i])).ToArray();
        Walk(new BatchLanes(weights, pieces, threads), weights.Config.Layers, tokens, starts, cursors, 0, visit, null, layers, ct);
    }

    /// <summary>
    /// Reads <paramref name="tokens"/> on from the model's present state, as positions <paramref name="firstPosition"/>
    /// onwards: a page reading a text as it is typed steps only the new characters.
    /// </summary>
    public static void Walk(ICharModel model, int[] tokens, int firstPosition, Visitor visit, Stepped stepped, IReadOnlyList<int>? layers = null) =>
        Walk(new ModelLane(model), model.Config.Layers, tokens, [0, tokens.Length], [0], firstPosition, visit, stepped, layers, default);

    /// <summary>
    /// Steps every piece that has characters left, one character each, until all are done; piece i reads
    /// tokens[cursors[i]..starts[i + 1]] and hands over its states from starts[i], as position + <paramref name="offset"/>.
    /// </summary>
    private static void Walk(ILanes lanes, int layerCount, int[] tokens, int[] starts, int[] cursors, int offset, Visitor visit, Stepped? stepped,
        IReadOnlyList<int>? layers, CancellationToken ct)
    {
        var visited = layers ?? Enumerable.Range(0, layerCount).ToArray();
        var pieces = cursors.Length;
        var (active, read, readTokens) = (new List<int>(pieces), new List<int>(pieces), new List<int>(pieces));
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            active.Clear();
            read.Clear();
            readTokens.Clear();
            for (var i = 0; i < pieces; i++)
            {
                if (cursors[i] >= starts[i + 1]) continue;
                active.Add(i);
                if (tokens[cursors[i]] == Vocabulary.ReadPast) continue; // not stepped: the piece keeps its state
                read.Add(i);
                readTokens.Add(tokens[cursors[i]]);
            }
            if (active.Count == 0) return;
            if (read.Count > 0) lanes.Step(read, readTokens);
            foreach (var i in active)
            {
                var position = cursors[i]++;
                if (position < starts[i]) continue;
                foreach (var layer in visited) visit(position + offset, layer, lanes.State(i, layer));
                stepped?.Invoke(position + offset, read.IndexOf(i) is var k and >= 0 ? lanes.Logits(k) : []);
            }
        }
    }

    /// <summary>Sequences stepped side by side: a batch's slots, or one model alone.</summary>
    private interface ILanes
    {
        /// <summary>Feeds tokens[k] to lane lanes[k]; the logits are then <see cref="Logits"/>(k).</summary>
        void Step(List<int> lanes, List<int> tokens);
        ReadOnlySpan<float> State(int lane, int layer);
        ReadOnlySpan<float> Logits(int k);
    }

    private sealed class BatchLanes : ILanes
    {
        private readonly LstmBatch _batch;
        private readonly int[] _slots;

        public BatchLanes(LstmWeights weights, int pieces, int threads)
        {
            _batch = new LstmBatch(weights, pieces, threads);
            _slots = Enumerable.Range(0, pieces).Select(_ => _batch.Join()).ToArray();
        }

        public void Step(List<int> lanes, List<int> tokens) => _batch.Step(lanes.Select(i => _slots[i]).ToArray(), tokens.ToArray());
        public ReadOnlySpan<float> State(int lane, int layer) => _batch.LayerState(_slots[lane], layer);
        public ReadOnlySpan<float> Logits(int k) => _batch.Logits(k);
    }

    private sealed class ModelLane(ICharModel model) : ILanes
    {
        private readonly float[] _logits = new float[model.Vocabulary.Count];

        public void Step(List<int> lanes, List<int> tokens) => model.Step(tokens[0]).CopyTo(_logits);
        public ReadOnlySpan<float> State(int lane, int layer) => model.LayerState(layer);
        public ReadOnlySpan<float> Logits(int k) => _logits;
    }
}
