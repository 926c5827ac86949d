namespace CharRnn.Web.Data;

/// <summary>A checkpoint file in the data folder: one of a run's, or one imported from the notebook (no run).</summary>
public sealed class CheckpointRecord
{
    public int Id { get; set; }
    public int? RunId { get; set; }
    public long Step { get; set; }
    public int Epoch { get; set; }
    public double? TrainLoss { get; set; }
    public double? ValLoss { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Path relative to the data folder.</summary>
    public required string RelativePath { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
