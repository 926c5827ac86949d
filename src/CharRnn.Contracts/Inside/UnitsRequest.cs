namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/checkpoints/{id}/units</c>: the units whose values follow a feature most closely over a text (the
/// checkpoint's held-out passage unless <see cref="Text"/> is sent). Give either a built-in <see cref="Feature"/> or a
/// <see cref="Regex"/>, under which a character counts 1 when it is inside a match. <see cref="Layer"/>,
/// <see cref="Quantity"/> and <see cref="Unit"/>, when given, keep only the units that have them (one unit's r, say).
/// <see cref="Characters"/> reads less of the held-out passage than the server's <c>InsideHeldOutCharacters</c>, for a
/// quicker answer (the page's line over training reads 5,000 for each checkpoint).
/// </summary>
public sealed record UnitsRequest(TextFeature? Feature = null, string? Regex = null, string? Text = null, int? Top = null,
    int? Layer = null, StateQuantity? Quantity = null, int? Unit = null, int? Characters = null);

/// <summary>
/// A unit and the Pearson correlation <see cref="R"/> between its values and the feature's, over every character. For
/// <see cref="StateQuantity.C"/> the values are c itself, which counts without saturating.
/// </summary>
public sealed record RankedUnit(int Layer, StateQuantity Quantity, int Unit, double R);

/// <summary>
/// The ranking, best |r| first, and the characters it was measured over; <see cref="Skipped"/>, the positions whose
/// characters the model lacks, read past with the state carried over.
/// </summary>
public sealed record UnitsResponse(IReadOnlyList<RankedUnit> Units, int Characters, IReadOnlyList<int> Skipped);
