using CharRnn.Contracts;

namespace CharRnn.Inference.Inside;

/// <summary>
/// What chosen units of a model hold at each character of a text, read from a zero state one character at a time, as
/// sampling reads a prime: on the server through <see cref="LstmEngine"/>, in the browser through its module, with the
/// same bits. The value at a character is the state after the model has read it.
/// </summary>
public static class TextStates
{
    /// <summary>Each (layer, quantity) asked, with each unit's values, in the order asked.</summary>
    /// <exception cref="UnknownCharactersException">The text has characters the model never saw.</exception>
    public static IReadOnlyList<QuantityStates> Read(ICharModel model, string text, IReadOnlyList<int> layers, IReadOnlyList<StateQuantity> quantities, IReadOnlyList<int> units)
    {
        var tokens = model.Vocabulary.Encode(text); // refuses unknown characters, naming them
        var hidden = model.Config.Hidden;
        var series = layers.SelectMany(layer => quantities.Select(quantity => (layer, quantity, values: units.Select(_ => new float[tokens.Length]).ToArray()))).ToList();

        model.Reset();
        for (var t = 0; t < tokens.Length; t++)
        {
            model.Step(tokens[t]);
            foreach (var (layer, quantity, values) in series)
            {
                var state = model.LayerState(layer);
                for (var u = 0; u < units.Count; u++) values[u][t] = state[LayerStates.Index(quantity, units[u], hidden)];
            }
        }
        return series.Select(s => new QuantityStates(s.layer, s.quantity, s.values.Select((v, u) => new UnitValues(units[u], v)).ToList())).ToList();
    }
}
