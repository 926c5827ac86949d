namespace CharRnn.Contracts;

/// <summary>How long a sweep will take (<c>POST /api/sweeps/estimate</c>): its trials run to their ends, and what successive halving is expected to leave of that.</summary>
/// <param name="Seconds">Every trial to its end, <c>concurrency</c> at a time, each timed as the run estimate times it.</param>
/// <param name="WithStoppingSeconds">The share successive halving is expected to train, as if the trials reached each rung together; null without early stopping.</param>
/// <param name="Basis">Where the figures come from, in words for the page.</param>
public sealed record SweepEstimate(int Trials, long Steps, double Seconds, double? WithStoppingSeconds, bool Measured, string Basis);
