using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Web.Data;

/// <summary>Stored rows as the API, the hubs and the pages show them (the shapes of <see cref="Contracts"/>).</summary>
public static class EntityDtos
{
    public static BookDto ToDto(this Book b) => new(b.Id, b.Name, b.SizeBytes, b.Characters, b.AlphabetSize, b.Encoding, b.Preview, b.CreatedAt, b.FrequencyLoss);

    public static RunDto ToDto(this Run r) => r.ToDto(r.Options);

    /// <summary>With the options already read: the training loop sends a run with every step and need not parse them each time.</summary>
    public static RunDto ToDto(this Run r, TrainingOptions options) => new(r.Id, r.BookId, r.Name, r.Status, options, r.Step, r.TotalSteps, r.Epoch,
        r.TrainLoss, r.ValLoss, r.BestValLoss, r.CharsPerSecond, r.EtaSeconds, TrainingDevices.Parse(r.Device), TrainingPrecisions.Parse(r.Precision), r.CreatedAt, r.StartedAt, r.FinishedAt, r.Error, r.LastSample,
        r.JobId, r.JobState, r.JobReason, r.SweepId, r.StopReason,
        r.HealthJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<RunHealth>(r.HealthJson, ContractsJson.Options), r.RemedyOf, r.RemedyFromStep,
        r.FineTunedFromCheckpointId is { } start ? new FineTuneLineage(start, r.FineTunedFromRunId, r.FineTunedFromBookId, r.CharactersAdded ?? 0) : null,
        r.AlsoEvaluateOnJson is null ? null : r.AlsoEvaluatedOn);

    public static MetricDto ToDto(this MetricPoint m) => new(m.Step, m.Epoch, m.TrainLoss, m.ValLoss, m.CharsPerSecond, m.At,
        m.OtherBooks);

    public static CheckpointDto ToDto(this CheckpointRecord c, CheckpointState state = CheckpointState.Ok) =>
        new(c.Id, c.RunId, c.Step, c.Epoch, c.TrainLoss, c.ValLoss, c.SizeBytes, c.CreatedAt, c.Name, state);

    public static PassageDto ToDto(this Passage p) => new(p.Slug, $"/p/{p.Slug}", p.CheckpointId, p.Prime, p.Length, p.Temperature, p.TopK, p.Seed, p.Text, p.CreatedAt, p.TopP, p.Stop, p.Beam);
}
