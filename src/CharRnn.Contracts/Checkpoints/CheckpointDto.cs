namespace CharRnn.Contracts;

/// <param name="State"><c>ok</c>; <c>missing</c> when its file is not in the data folder; <c>damaged</c> when the file's size is not the one written.</param>
public sealed record CheckpointDto(int Id, int? RunId, long Step, int Epoch, double? TrainLoss, double? ValLoss, long SizeBytes, DateTime CreatedAt, string? Name, string State = "ok");

/// <summary><c>GET /api/checkpoints/{id}/bits</c>: teacher-forced cross-entropy in bits per character over <paramref name="Characters"/> predictions.</summary>
public sealed record BitsDto(double BitsPerChar, int Characters);
