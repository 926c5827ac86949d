namespace CharRnn.Web.Data;

/// <summary>One training step's figures; <see cref="ValLoss"/> is set on the steps that were evaluated.</summary>
public sealed class MetricPoint
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public long Step { get; set; }
    public int Epoch { get; set; }
    public double TrainLoss { get; set; }
    public double? ValLoss { get; set; }
    public double CharsPerSecond { get; set; }
    public DateTime At { get; set; }
}
