namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/checkpoints/{id}/selection</c>, LSTMVis's select-and-match: the units of one layer and quantity that are
/// on (at or above <see cref="Threshold"/>) at every character of a stretch and off just before and after it, then the
/// other places in the held-out passage where those units are on together. Positions count characters (code points)
/// of <see cref="Text"/>, or of the held-out passage when no text is sent. For c, "on" reads tanh(c), as shown.
/// </summary>
public sealed record SelectionRequest(int Start, int Length, int Layer, StateQuantity Quantity = StateQuantity.H, string? Text = null, double Threshold = 0.3);

/// <summary>
/// The units found, cleanest first, and at most 50 matches, best first. <see cref="Skipped"/>: the positions of the
/// text (or the held-out passage) whose characters the model lacks, read past with the state carried over.
/// </summary>
public sealed record SelectionResponse(IReadOnlyList<FoundUnit> Units, IReadOnlyList<StretchMatch> Matches, int Characters, IReadOnlyList<int> Skipped);

/// <summary>
/// A unit on across the stretch: its lowest value in it, and its margin, that lowest value less the higher of its values
/// just before and just after the stretch (less the threshold where the stretch starts or ends the text).
/// </summary>
public sealed record FoundUnit(int Unit, double Lowest, double Margin);

/// <summary>
/// A stretch of the held-out passage where some of the found units are on: <see cref="Shared"/> of them at every one of
/// its characters, and <see cref="Union"/> units of the layer (found or not) on at one of them at least. Ranked as
/// LSTMVis ranks matches: more shared, then a smaller union, then longer.
/// </summary>
public sealed record StretchMatch(int Start, int Length, int Shared, int Union, string Text);
