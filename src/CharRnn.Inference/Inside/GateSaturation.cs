using CharRnn.Contracts;
using CharRnn.Inference.Lstm;

namespace CharRnn.Inference.Inside;

/// <summary>
/// How often each unit's gates sit at their ends, as in Karpathy, Johnson and Fei-Fei's figure of gate saturation: for
/// the input, forget and output gates of every unit, the share of characters where the gate is below 0.1 (closed, left
/// saturated) and above 0.9 (open, right saturated). Counted as states stream past (<see cref="StateWalk"/>).
/// </summary>
public sealed class GateSaturation
{
    public const float Closed = 0.1f, Open = 0.9f;

    /// <summary>The gates shown: the candidate is a tanh, not a gate, and is left out as the paper leaves it.</summary>
    public static readonly StateQuantity[] Gates = [StateQuantity.I, StateQuantity.F, StateQuantity.O];

    private readonly ModelConfig _config;
    private readonly int[][] _closed; // [layer][gate × hidden + unit]
    private readonly int[][] _open;
    private readonly int[] _characters; // [layer]

    public GateSaturation(ModelConfig config)
    {
        _config = config;
        _closed = Enumerable.Range(0, config.Layers).Select(_ => new int[Gates.Length * config.Hidden]).ToArray();
        _open = Enumerable.Range(0, config.Layers).Select(_ => new int[Gates.Length * config.Hidden]).ToArray();
        _characters = new int[config.Layers];
    }

    /// <summary>A <see cref="StateWalk.Visitor"/>: counts one layer's gates at one position.</summary>
    public void Add(int position, int layer, ReadOnlySpan<float> state)
    {
        var hidden = _config.Hidden;
        _characters[layer]++;
        for (var g = 0; g < Gates.Length; g++)
        {
            var values = state.Slice((int)Gates[g] * hidden, hidden);
            for (var unit = 0; unit < hidden; unit++)
            {
                if (values[unit] < Closed) _closed[layer][g * hidden + unit]++;
                else if (values[unit] > Open) _open[layer][g * hidden + unit]++;
            }
        }
    }

    /// <summary>For each layer and gate, each unit's share of characters closed and open.</summary>
    public IReadOnlyList<GateShares> Shares()
    {
        var hidden = _config.Hidden;
        return Enumerable.Range(0, _config.Layers).SelectMany(layer => Gates.Select((gate, g) =>
        {
            float Share(int[] counts, int unit) => _characters[layer] == 0 ? 0 : (float)counts[g * hidden + unit] / _characters[layer];
            return new GateShares(layer, gate, Enumerable.Range(0, hidden).Select(u => Share(_closed[layer], u)).ToArray(),
                Enumerable.Range(0, hidden).Select(u => Share(_open[layer], u)).ToArray());
        })).ToList();
    }

    /// <summary>Reads <paramref name="tokens"/> through the model and counts.</summary>
    public static IReadOnlyList<GateShares> Measure(LstmWeights weights, int[] tokens, int pieces = 1, int threads = 1, CancellationToken ct = default)
    {
        var saturation = new GateSaturation(weights.Config);
        StateWalk.Walk(weights, tokens, saturation.Add, pieces, threads: threads, ct: ct);
        return saturation.Shares();
    }
}
