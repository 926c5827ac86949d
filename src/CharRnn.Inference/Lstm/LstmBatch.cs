using System.Numerics.Tensors;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// Steps several independent sequences of one model together, as LLM servers batch their requests: one pass over the
/// weights advances every sequence by a character. Each sequence holds a slot (its own hidden and cell state) from
/// <see cref="Join"/> to <see cref="Leave"/>, so sequences come and go between steps. With the Portable kernel every
/// sequence's logits have exactly the bits <see cref="LstmEngine"/> gives it alone; other kernels and bfloat16 weights
/// step the sequences one after another, still exact, without the saving. Each slot's layer states are readable after a
/// step (<see cref="LayerState"/>), as <see cref="LstmEngine.LayerState"/>'s, with the same bits.
/// </summary>
public sealed class LstmBatch
{
    private readonly LstmWeights _weights;
    private readonly MatVecKernel _kernel;
    private readonly int _hidden;
    private readonly float[][][] _state; // [slot][layer][c; h; i; f; g; o]
    private readonly bool[] _used;
    private readonly float[] _gates;  // [sequence][4H]
    private readonly float[] _inputs; // [sequence][H or 2H]: h below (and own h) for each sequence stepped
    private readonly float[] _logits; // [sequence][vocab]
    private readonly int _threads;

    /// <param name="threads">Threads that share each step's products (rows split between them) and cell updates; 1 keeps a step on the calling thread.</param>
    public LstmBatch(LstmWeights weights, int capacity, int threads = 1, MatVecKernel kernel = MatVecKernel.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = threads;
        _weights = weights;
        _kernel = MatVec.Resolve(kernel);
        _hidden = weights.Config.Hidden;
        var layers = weights.Config.Layers;
        Capacity = capacity;
        _state = Enumerable.Range(0, capacity).Select(_ => Enumerable.Range(0, layers).Select(_ => new float[LayerStates.Width(_hidden)]).ToArray()).ToArray();
        _used = new bool[capacity];
        _gates = new float[capacity * 4 * _hidden];
        _inputs = new float[capacity * 2 * _hidden];
        _logits = new float[capacity * weights.Config.VocabSize];
    }

    public LstmWeights Weights => _weights;

    public int Capacity { get; }

    /// <summary>Slots in use.</summary>
    public int Count => _used.Count(u => u);

    /// <summary>A free slot with a zero state (a sequence beginning), or -1 when every slot is taken.</summary>
    public int Join()
    {
        var slot = Array.IndexOf(_used, false);
        if (slot < 0) return -1;
        _used[slot] = true;
        foreach (var state in _state[slot]) Array.Clear(state);
        return slot;
    }

    /// <summary>The state of <paramref name="layer"/> in <paramref name="slot"/> after the last step, laid out as <see cref="LayerStates"/> says.</summary>
    public ReadOnlySpan<float> LayerState(int slot, int layer) => _state[slot][layer];

    public void Leave(int slot) => _used[slot] = false;

    /// <summary>
    /// Feeds <paramref name="tokens"/>[i] to the sequence in <paramref name="slots"/>[i], for every i at once; the logits
    /// for its next token are <see cref="Logits"/>(i), valid until the next step.
    /// </summary>
    public void Step(ReadOnlySpan<int> slots, ReadOnlySpan<int> tokens)
    {
        if (slots.Length != tokens.Length || slots.Length > Capacity)
            throw new ArgumentException($"Step {slots.Length} slot(s) with as many tokens, at most {Capacity}.");
        var (config, n, h) = (_weights.Config, slots.Length, _hidden);
        var gateCount = 4 * h;
        foreach (var slot in slots)
            if (!_used[slot]) throw new ArgumentException($"Slot {slot} has not joined.", nameof(slots));
        foreach (var token in tokens)
            if ((uint)token >= (uint)config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token ids run from 0 to {config.VocabSize - 1}.");

        for (var k = 0; k < config.Layers; k++)
        {
            var cols = k == 0 ? h : 2 * h;
            var gates = _gates.AsSpan(0, n * gateCount);
            var inputs = _inputs.AsSpan(0, n * cols);
            for (var i = 0; i < n; i++)
            {
                var g = gates.Slice(i * gateCount, gateCount);
                _weights.Bias[k].CopyTo(g);
                var state = _state[slots[i]];
                if (k == 0)
                {
                    TensorPrimitives.Add(g, _weights.InputRows.AsSpan(tokens[i] * gateCount, gateCount), g);
                    LayerStates.Hidden(state[0], h).CopyTo(inputs.Slice(i * cols, h));
                }
                else
                {
                    LayerStates.Hidden(state[k - 1], h).CopyTo(inputs.Slice(i * cols, h));
                    LayerStates.Hidden(state[k], h).CopyTo(inputs.Slice(i * cols + h, h));
                }
            }
            MultiplyAdd(_weights.Recurrent[k], _weights.PackedRecurrent?[k], _inputs, n * cols, _gates, n * gateCount, n);
            UpdateCells(slots, k, n);
        }

        var vocab = config.VocabSize;
        var logits = _logits.AsSpan(0, n * vocab);
        var top = _inputs.AsSpan(0, n * h);
        for (var i = 0; i < n; i++)
        {
            _weights.OutputBias.CopyTo(logits.Slice(i * vocab, vocab));
            LayerStates.Hidden(_state[slots[i]][^1], h).CopyTo(top.Slice(i * h, h));
        }
        MultiplyAdd(_weights.OutputWeight, _weights.PackedOutput, _inputs, n * h, _logits, n * vocab, n);
    }

    private void UpdateCells(ReadOnlySpan<int> slots, int layer, int n)
    {
        var gateCount = 4 * _hidden;
        if (_threads == 1 || n == 1)
        {
            for (var i = 0; i < n; i++) UpdateCell(i, slots[i], layer, gateCount);
            return;
        }
        var slotArray = slots.ToArray();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i => UpdateCell(i, slotArray[i], layer, gateCount));
    }

    /// <summary>The cell update of the i-th sequence stepped, whose activated gates are then kept in its slot's state.</summary>
    private void UpdateCell(int i, int slot, int layer, int gateCount)
    {
        var gates = _gates.AsSpan(i * gateCount, gateCount);
        var state = _state[slot][layer];
        LstmEngine.UpdateCell(gates, LayerStates.Hidden(state, _hidden), LayerStates.Cell(state, _hidden), _hidden);
        gates.CopyTo(LayerStates.Gates(state, _hidden));
    }

    /// <summary>The logits of the i-th sequence of the last <see cref="Step"/>.</summary>
    public ReadOnlySpan<float> Logits(int i) => _logits.AsSpan(i * _weights.Config.VocabSize, _weights.Config.VocabSize);

    private void MultiplyAdd(float[] matrix, BFloat16Matrix? packed, float[] xArray, int xLength, float[] yArray, int yLength, int n)
    {
        int cols = xLength / n, rows = yLength / n;
        if (packed is null && _kernel == MatVecKernel.Portable)
        {
            if (_threads == 1 || rows < 64)
            {
                MatVec.MultiplyAddPortableBatch(matrix, xArray.AsSpan(0, xLength), yArray.AsSpan(0, yLength), n);
                return;
            }
            // Each thread takes a band of rows (a multiple of 4, the kernel's block) for every passage.
            var band = (rows / _threads + 3) & ~3;
            Parallel.For(0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads }, t =>
            {
                int start = Math.Min(rows, t * band), end = t == _threads - 1 ? rows : Math.Min(rows, start + band);
                MatVec.MultiplyAddPortableBatch(matrix, xArray.AsSpan(0, xLength), yArray.AsSpan(0, yLength), n, start, end);
            });
            return;
        }
        for (var i = 0; i < n; i++)
        {
            var x = xArray.AsSpan(i * cols, cols);
            var y = yArray.AsSpan(i * rows, rows);
            if (packed is not null) packed.MultiplyAdd(x, y);
            else MatVec.MultiplyAdd(_kernel, matrix, x, y);
        }
    }
}
