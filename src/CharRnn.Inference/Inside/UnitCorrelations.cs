using System.Numerics.Tensors;
using CharRnn.Contracts;
using CharRnn.Inference.Lstm;

namespace CharRnn.Inference.Inside;

/// <summary>
/// Pearson's r between every unit's every quantity and several features at once, summed as the states stream past
/// (nothing is kept per character): for each value x and feature f, Σx, Σx² and Σx·f. The cell state counts as c
/// itself, which can count a line's characters without saturating where tanh(c) would.
/// </summary>
public sealed class UnitCorrelations
{
    private readonly ModelConfig _config;
    private readonly IReadOnlyList<double[]> _features;
    private readonly double[][] _sum;                // [layer][value]
    private readonly double[][] _sumOfSquares;       // [layer][value]
    private readonly double[][][] _sumWithFeature;   // [feature][layer][value]
    private readonly double[] _widened;

    /// <param name="features">Each feature's value at every position the states will come for.</param>
    public UnitCorrelations(ModelConfig config, IReadOnlyList<double[]> features)
    {
        _config = config;
        _features = features;
        var width = LayerStates.Width(config.Hidden);
        double[][] PerLayer() => Enumerable.Range(0, config.Layers).Select(_ => new double[width]).ToArray();
        _sum = PerLayer();
        _sumOfSquares = PerLayer();
        _sumWithFeature = features.Select(_ => PerLayer()).ToArray();
        _widened = new double[width];
    }

    /// <summary>A <see cref="StateWalk.Visitor"/>: adds one layer's state at one position.</summary>
    public void Add(int position, int layer, ReadOnlySpan<float> state)
    {
        var x = _widened.AsSpan();
        TensorPrimitives.ConvertChecked(state, x);
        TensorPrimitives.Add(_sum[layer], x, _sum[layer]);
        TensorPrimitives.MultiplyAdd(x, x, _sumOfSquares[layer], _sumOfSquares[layer]);
        for (var k = 0; k < _features.Count; k++)
            if (_features[k][position] is var f and not 0)
                TensorPrimitives.MultiplyAdd(x, f, _sumWithFeature[k][layer], _sumWithFeature[k][layer]);
    }

    /// <summary>
    /// The <paramref name="top"/> units of feature <paramref name="feature"/>, best |r| first, once every position has
    /// been added. Units that never change (and a feature that never changes) have no r and are left out.
    /// </summary>
    public IReadOnlyList<RankedUnit> Ranked(int feature, int top)
    {
        var f = _features[feature];
        double n = f.Length, sumF = f.Sum(), sumFF = f.Sum(v => v * v);
        var spreadF = n * sumFF - sumF * sumF;
        var ranked = new List<RankedUnit>();
        if (spreadF <= 1e-9 * n * n) return ranked;
        var hidden = _config.Hidden;
        for (var layer = 0; layer < _config.Layers; layer++)
            for (var v = 0; v < LayerStates.Width(hidden); v++)
            {
                double sum = _sum[layer][v], spread = n * _sumOfSquares[layer][v] - sum * sum;
                if (spread <= 1e-9 * n * n) continue; // constant: no correlation to speak of
                var r = (n * _sumWithFeature[feature][layer][v] - sum * sumF) / Math.Sqrt(spread * spreadF);
                ranked.Add(new RankedUnit(layer, (StateQuantity)(v / hidden), v % hidden, Math.Clamp(r, -1, 1)));
            }
        return ranked.OrderByDescending(u => Math.Abs(u.R)).ThenBy(u => u.Layer).ThenBy(u => u.Quantity).ThenBy(u => u.Unit).Take(top).ToList();
    }

    /// <summary>Reads <paramref name="tokens"/> through the model (<see cref="StateWalk"/>) and ranks the units for each feature.</summary>
    public static IReadOnlyList<IReadOnlyList<RankedUnit>> Measure(LstmWeights weights, int[] tokens, IReadOnlyList<double[]> features, int top, int pieces = 1,
        int threads = 1, CancellationToken ct = default)
    {
        var correlations = new UnitCorrelations(weights.Config, features);
        StateWalk.Walk(weights, tokens, correlations.Add, pieces, threads: threads, ct: ct);
        return features.Select((_, k) => correlations.Ranked(k, top)).ToList();
    }
}
