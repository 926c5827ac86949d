namespace CharRnn.Contracts;

/// <param name="State">Whether its file is there as it was written.</param>
public sealed record CheckpointDto(int Id, int? RunId, long Step, int Epoch, double? TrainLoss, double? ValLoss, long SizeBytes, DateTime CreatedAt, string? Name,
    CheckpointState State = CheckpointState.Ok)
{
    /// <summary>How pages that choose among checkpoints name one: "anna 2×512 · step 1,390 · val 1.4157", or "imported: rnn_20_epoch".</summary>
    /// <param name="runName">Its run's name (null when the caller does not know it: the run's number is used).</param>
    public string Label(string? runName) => RunId is { } run
        ? $"{runName ?? $"run {run}"} · step {Step:N0} · val {ValLoss?.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) ?? "–"}"
        : $"imported: {Name}";
}

/// <summary><c>GET /api/checkpoints/{id}/bits</c>: teacher-forced cross-entropy in bits per character over <paramref name="Characters"/> predictions.</summary>
public sealed record BitsDto(double BitsPerChar, int Characters);
