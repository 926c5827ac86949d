using System.Text.Json;

namespace CharRnn.Inference.Checkpoints;

/// <summary>Where a checkpoint came from: the checkpoint's <c>training</c> metadata. Never needed to sample.</summary>
/// <param name="Options">The run's options as the trainer wrote them (JSON object), kept opaque here.</param>
public sealed record TrainingInfo(
    string? RunId,
    long Step,
    int Epoch,
    double? TrainLoss,
    double? ValLoss,
    string? BookSha256,
    JsonElement? Options = null);
