namespace CharRnn.Contracts;

/// <summary>
/// <c>GET /api/checkpoints/{id}/gates</c>: how often each unit's input, forget and output gates are closed (below 0.1)
/// and open (above 0.9) over the held-out passage, per layer and gate; the paper's figure of gate saturation.
/// </summary>
public sealed record GatesResponse(IReadOnlyList<GateShares> Gates, int Characters);

/// <summary>One gate of one layer: for each unit, the share of characters where the gate was closed and where it was open.</summary>
public sealed record GateShares(int Layer, StateQuantity Gate, float[] Closed, float[] Open);
