namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/checkpoints/{id}/states</c>: what a checkpoint's units hold at each character of <see cref="Text"/>, read
/// from a zero state. Null lists mean every layer, every quantity, every unit; the product of the three is bounded by
/// the server's <c>MaxInsideSeries</c>, the text by its <c>MaxInsideCharacters</c>.
/// </summary>
public sealed record StatesRequest(string Text, IReadOnlyList<int>? Layers = null, IReadOnlyList<StateQuantity>? Quantities = null, IReadOnlyList<int>? Units = null);

/// <summary>
/// The text's characters (one code point each) and, for each layer and quantity asked, each unit's values, one per
/// character. <see cref="Skipped"/> lists the positions whose characters the model lacks: they are read past, and each
/// value there is the one carried over from the position before (the zero state's at position 0).
/// </summary>
public sealed record StatesResponse(IReadOnlyList<string> Characters, IReadOnlyList<QuantityStates> Layers, IReadOnlyList<int> Skipped);

/// <summary>One quantity of one layer. For <see cref="StateQuantity.C"/> the values are c itself, not tanh(c).</summary>
public sealed record QuantityStates(int Layer, StateQuantity Quantity, IReadOnlyList<UnitValues> Units);

public sealed record UnitValues(int Unit, float[] Values);
