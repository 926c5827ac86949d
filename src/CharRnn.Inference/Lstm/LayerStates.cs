using CharRnn.Contracts;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// The layout of one layer's state as the engines keep it and show it: [c; h; i; f; g; o], each as long as the layer
/// is wide, in <see cref="StateQuantity"/>'s order. The gates are kept after their activations (σ(i), σ(f), tanh(g),
/// σ(o)), so reading a unit's gate needs no arithmetic that could round differently in the browser.
/// </summary>
public static class LayerStates
{
    public const int Quantities = 6;

    /// <summary>Floats in one layer's state.</summary>
    public static int Width(int hidden) => Quantities * hidden;

    public static Span<float> Cell(float[] state, int hidden) => state.AsSpan(0, hidden);

    public static Span<float> Hidden(float[] state, int hidden) => state.AsSpan(hidden, hidden);

    /// <summary>The four gates, i, f, g, o: before a step the pre-activations are summed here, after it the activations.</summary>
    public static Span<float> Gates(float[] state, int hidden) => state.AsSpan(2 * hidden, 4 * hidden);

    /// <summary>Where <paramref name="quantity"/> of <paramref name="unit"/> sits in a layer's state.</summary>
    public static int Index(StateQuantity quantity, int unit, int hidden) => (int)quantity * hidden + unit;

    /// <summary>
    /// A value as pages show it and as "on" is judged: tanh(c) for the cell state, which is unbounded (the paper's
    /// figures colour tanh(c)); every other quantity as it is, already within [−1, 1].
    /// </summary>
    public static float Shown(StateQuantity quantity, float value) => quantity == StateQuantity.C ? PortableMath.Tanh(value) : value;

    /// <summary>The shown values of one quantity of every unit of a layer's state.</summary>
    public static void Shown(ReadOnlySpan<float> state, StateQuantity quantity, int hidden, Span<float> into)
    {
        var values = state.Slice((int)quantity * hidden, hidden);
        for (var unit = 0; unit < hidden; unit++) into[unit] = Shown(quantity, values[unit]);
    }
}
