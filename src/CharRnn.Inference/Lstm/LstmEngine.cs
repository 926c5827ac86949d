using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// Runs a character LSTM one character at a time (batch 1), with PyTorch's gate order i, f, g, o:
/// <code>
/// gates = W_ih·x + b_ih + W_hh·h + b_hh
/// c' = σ(f)·c + σ(i)·tanh(g)        h' = σ(o)·tanh(c')
/// logits = fc.weight·h_top + fc.bias
/// </code>
/// Holds the hidden state, so one engine serves one sampler; share the <see cref="LstmWeights"/> instead. After each
/// step every layer's state is readable (<see cref="LayerState"/>): c, h and the four gates after their activations,
/// which is what the Inside page colours text by.
/// </summary>
public sealed class LstmEngine : ICharModel
{
    private readonly LstmWeights _weights;
    private readonly MatVecKernel _kernel;
    private readonly float[][] _state; // per layer [c; h; i; f; g; o], each Hidden long (StateQuantity's order)
    private readonly float[] _joined; // [h of the layer below; own h] for layers ≥ 1
    private readonly float[] _logits;

    public LstmEngine(LstmWeights weights, MatVecKernel kernel = MatVecKernel.Auto)
    {
        _weights = weights;
        _kernel = MatVec.Resolve(kernel);
        var (h, layers) = (weights.Config.Hidden, weights.Config.Layers);
        _state = Enumerable.Range(0, layers).Select(_ => new float[LayerStates.Width(h)]).ToArray();
        _joined = new float[2 * h];
        _logits = new float[weights.Config.VocabSize];
    }

    public LstmWeights Weights => _weights;

    public Vocabulary Vocabulary => _weights.Vocabulary;

    public ModelConfig Config => _weights.Config;

    /// <summary>The kernel actually in use (never <see cref="MatVecKernel.Auto"/>).</summary>
    public MatVecKernel Kernel => _kernel;

    /// <summary>Zeroes the hidden and cell state, as a new sequence begins.</summary>
    public void Reset()
    {
        foreach (var state in _state) Array.Clear(state);
    }

    /// <summary>Layer <paramref name="layer"/>'s state after the last step: [c; h; i; f; g; o] (see <see cref="LayerStates"/>).</summary>
    public ReadOnlySpan<float> LayerState(int layer) => _state[layer];

    public void SaveState(Span<float> into)
    {
        var h = _weights.Config.Hidden;
        for (var k = 0; k < _state.Length; k++) _state[k].AsSpan(0, 2 * h).CopyTo(into.Slice(2 * h * k, 2 * h)); // [c; h]
    }

    public void LoadState(ReadOnlySpan<float> from)
    {
        var h = _weights.Config.Hidden;
        for (var k = 0; k < _state.Length; k++) from.Slice(2 * h * k, 2 * h).CopyTo(_state[k]);
    }

    /// <summary>Feeds one token and returns the logits for the next one (valid until the next call).</summary>
    public ReadOnlySpan<float> Step(int token)
    {
        var config = _weights.Config;
        if ((uint)token >= (uint)config.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids run from 0 to {config.VocabSize - 1}.");
        int hidden = config.Hidden, gateCount = 4 * hidden;

        for (var k = 0; k < config.Layers; k++)
        {
            // The gates are computed in the layer's own state, so after the cell update they are its activated gates.
            var gates = LayerStates.Gates(_state[k], hidden);
            _weights.Bias[k].CopyTo(gates);
            if (k == 0)
            {
                TensorPrimitives.Add(gates, _weights.InputRows.AsSpan(token * gateCount, gateCount), gates);
                MultiplyAdd(k, LayerStates.Hidden(_state[0], hidden), gates);
            }
            else
            {
                LayerStates.Hidden(_state[k - 1], hidden).CopyTo(_joined);
                LayerStates.Hidden(_state[k], hidden).CopyTo(_joined.AsSpan(hidden));
                MultiplyAdd(k, _joined, gates);
            }
            UpdateCell(gates, LayerStates.Hidden(_state[k], hidden), LayerStates.Cell(_state[k], hidden), hidden);
        }

        var top = LayerStates.Hidden(_state[^1], hidden);
        _weights.OutputBias.CopyTo(_logits, 0);
        if (_weights.PackedOutput is { } packed) packed.MultiplyAdd(top, _logits);
        else MatVec.MultiplyAdd(_kernel, _weights.OutputWeight, top, _logits);
        return _logits;
    }

    private void MultiplyAdd(int layer, ReadOnlySpan<float> x, Span<float> gates)
    {
        if (_weights.PackedRecurrent is { } packed) packed[layer].MultiplyAdd(x, gates);
        else MatVec.MultiplyAdd(_kernel, _weights.Recurrent[layer], x, gates);
    }

    /// <summary>
    /// c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'), element by element with <see cref="PortableMath"/>, two products
    /// and one add (never fused): the browser's module does the same, so both give the same bits. The activated gates
    /// σ(i), σ(f), tanh(g), σ(o) replace the pre-activations in <paramref name="gates"/>. Four units at a time
    /// where the CPU has 256-bit vectors (each lane the same operations, so the same bits): the transcendental functions
    /// cost about as much as the matrix products when done one by one.
    /// </summary>
    internal static void UpdateCell(Span<float> gates, Span<float> h, Span<float> c, int hidden)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated && Avx.IsSupported)
        {
            for (; j + 4 <= hidden; j += 4)
            {
                // Each activation narrowed to float, as below, before the products and the sum.
                var input = Avx.ConvertToVector128Single(PortableMath.Sigmoid(Widen(gates, j)));
                var forget = Avx.ConvertToVector128Single(PortableMath.Sigmoid(Widen(gates, hidden + j)));
                var candidate = Avx.ConvertToVector128Single(PortableMath.Tanh(Widen(gates, 2 * hidden + j)));
                var output = Avx.ConvertToVector128Single(PortableMath.Sigmoid(Widen(gates, 3 * hidden + j)));
                input.CopyTo(gates.Slice(j, 4));
                forget.CopyTo(gates.Slice(hidden + j, 4));
                candidate.CopyTo(gates.Slice(2 * hidden + j, 4));
                output.CopyTo(gates.Slice(3 * hidden + j, 4));
                var cell = forget * Vector128.Create(c[j], c[j + 1], c[j + 2], c[j + 3]) + input * candidate;
                cell.CopyTo(c.Slice(j, 4));
                var next = output * Avx.ConvertToVector128Single(PortableMath.Tanh(Avx.ConvertToVector256Double(cell)));
                next.CopyTo(h.Slice(j, 4));
            }
        }
        for (; j < hidden; j++)
        {
            var input = PortableMath.Sigmoid(gates[j]);
            var forget = PortableMath.Sigmoid(gates[hidden + j]);
            var candidate = PortableMath.Tanh(gates[2 * hidden + j]);
            var output = PortableMath.Sigmoid(gates[3 * hidden + j]);
            (gates[j], gates[hidden + j], gates[2 * hidden + j], gates[3 * hidden + j]) = (input, forget, candidate, output);
            var cell = forget * c[j] + input * candidate;
            c[j] = cell;
            h[j] = output * PortableMath.Tanh(cell);
        }
    }

    private static Vector256<double> Widen(Span<float> values, int start) =>
        Avx.ConvertToVector256Double(Vector128.Create(values[start], values[start + 1], values[start + 2], values[start + 3]));
}
