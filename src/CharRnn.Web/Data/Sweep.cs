namespace CharRnn.Web.Data;

/// <summary>A search over training options: its request as posted, and whether a person cancelled it. Its trials are runs (<see cref="Run.SweepId"/>).</summary>
public sealed class Sweep
{
    public int Id { get; set; }
    public int BookId { get; set; }
    public required string Name { get; set; }
    /// <summary>The <see cref="CreateSweepRequest"/> as JSON, with its seed filled in.</summary>
    public required string RequestJson { get; set; }
    /// <summary>Trials that train at once (also in <see cref="RequestJson"/>; a column so the queue reads it without parsing).</summary>
    public int Concurrency { get; set; }
    public bool Cancelled { get; set; }
    public DateTime CreatedAt { get; set; }
}
