namespace CharRnn.Contracts;

/// <summary>How long a run will take (<c>POST /api/runs/estimate</c>), and what the figure rests on.</summary>
/// <param name="Seconds">The whole run: its steps and every evaluation; null while this model's speed is being measured.</param>
/// <param name="Measured">True when the figure comes from timing this model shape on this server; false for a rough figure.</param>
/// <param name="Basis">Where the figure comes from, in words for the page.</param>
public sealed record RunEstimate(long Steps, long Evaluations, double? Seconds, bool Measured, string Basis);
