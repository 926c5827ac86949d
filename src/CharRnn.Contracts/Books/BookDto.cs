namespace CharRnn.Contracts;

/// <summary>An uploaded book: <c>POST /api/books</c>'s answer and <c>GET /api/books</c>'s items.</summary>
/// <param name="FrequencyLoss">
/// The loss (nats per character) of guessing each character by how often it occurs in the book's training split (the
/// default 90 %): the level a model sits at when it has learned nothing else, drawn as a reference line on loss charts.
/// </param>
public sealed record BookDto(int Id, string Name, long SizeBytes, int Characters, int AlphabetSize, string Encoding, string Preview, DateTime CreatedAt,
    double? FrequencyLoss = null);
