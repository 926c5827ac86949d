namespace CharRnn.Web.Data;

/// <summary>A generated text kept for sharing at /p/{slug}, with everything needed to draw it again.</summary>
public sealed class Passage
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public int CheckpointId { get; set; }
    public required string Prime { get; set; }
    public int Length { get; set; }
    public double Temperature { get; set; }
    public int? TopK { get; set; }
    public int Seed { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
}
