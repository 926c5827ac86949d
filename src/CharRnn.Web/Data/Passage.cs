using System.ComponentModel.DataAnnotations.Schema;
using System.Text.Json;

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
    /// <summary>Nucleus sampling's p; null for none (passages from before it existed too).</summary>
    public double? TopP { get; set; }
    /// <summary>A beam search's width; null for a drawn passage.</summary>
    public int? Beam { get; set; }
    /// <summary>The stop sequences as a JSON list; null for none.</summary>
    public string? StopJson { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary><see cref="StopJson"/> read and written.</summary>
    [NotMapped]
    public IReadOnlyList<string> Stop
    {
        get => StopJson is null ? [] : JsonSerializer.Deserialize<List<string>>(StopJson) ?? [];
        set => StopJson = value.Count == 0 ? null : JsonSerializer.Serialize(value);
    }
}
