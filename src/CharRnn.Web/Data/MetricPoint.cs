using System.ComponentModel.DataAnnotations.Schema;
using System.Text.Json;

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

    /// <summary>The other books' validation losses at a whole-split evaluation (<see cref="MetricDto.OtherBooks"/>), as JSON; null elsewhere.</summary>
    public string? OtherBooksJson { get; set; }

    /// <summary><see cref="OtherBooksJson"/> read and written.</summary>
    [NotMapped]
    public IReadOnlyList<BookValLoss>? OtherBooks
    {
        get => OtherBooksJson is null ? null : JsonSerializer.Deserialize<List<BookValLoss>>(OtherBooksJson, ContractsJson.Options);
        set => OtherBooksJson = Json(value);
    }

    /// <summary>What <see cref="OtherBooksJson"/> holds for <paramref name="otherBooks"/>: for a bulk update of stored points.</summary>
    public static string? Json(IReadOnlyList<BookValLoss>? otherBooks) =>
        otherBooks is null or { Count: 0 } ? null : JsonSerializer.Serialize(otherBooks, ContractsJson.Options);
}
