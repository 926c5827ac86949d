namespace CharRnn.Web.Data;

/// <summary>An uploaded text. Its decoded UTF-8 copy lives in the data folder under <see cref="FileName"/>.</summary>
public sealed class Book
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Size of the file as uploaded.</summary>
    public long SizeBytes { get; set; }
    /// <summary>Code points after decoding and line-ending normalisation.</summary>
    public int Characters { get; set; }
    public int AlphabetSize { get; set; }
    public required string Encoding { get; set; }
    public required string Preview { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>A generated name in books/, never the user's file name.</summary>
    public required string FileName { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The letter-frequency entropy of its default training split (<see cref="BookDto.FrequencyLoss"/>); null for a book stored before it was measured.</summary>
    public double? FrequencyLoss { get; set; }
}
