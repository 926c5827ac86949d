using CharRnn.Contracts;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Inside;

/// <summary>
/// What chosen units of a model hold at each character of a text, read from a zero state one character at a time
/// (<see cref="StateWalk"/> in one piece, so with <see cref="LstmEngine"/>'s bits, which the browser's module shares).
/// The value at a character is the state after the model has read it; at a character read past, the state carried over.
/// </summary>
public static class TextStates
{
    /// <summary>Each (layer, quantity) asked, with each unit's values, in the order asked.</summary>
    /// <param name="tokens">The text's ids, <see cref="Vocabulary.ReadPast"/> where the model lacks the character.</param>
    public static IReadOnlyList<QuantityStates> Read(LstmWeights weights, int[] tokens, IReadOnlyList<int> layers, IReadOnlyList<StateQuantity> quantities, IReadOnlyList<int> units)
    {
        var hidden = weights.Config.Hidden;
        var series = layers.SelectMany(layer => quantities.Select(quantity => (layer, quantity, values: units.Select(_ => new float[tokens.Length]).ToArray()))).ToList();
        var byLayer = series.ToLookup(s => s.layer); // looked up at every character, so grouped once
        StateWalk.Walk(weights, tokens, (position, layer, state) =>
        {
            foreach (var (_, quantity, values) in byLayer[layer])
                for (var u = 0; u < units.Count; u++) values[u][position] = state[LayerStates.Index(quantity, units[u], hidden)];
        }, layers: byLayer.Select(g => g.Key).ToList());
        return series.Select(s => new QuantityStates(s.layer, s.quantity, s.values.Select((v, u) => new UnitValues(units[u], v)).ToList())).ToList();
    }
}
