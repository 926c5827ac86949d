namespace CharRnn.Contracts;

/// <summary><c>GET /api/checkpoints/{id}/held-out</c>: the start of the checkpoint's held-out passage, the text the Inside page opens on.</summary>
public sealed record HeldOutDto(string Text, int Characters);
