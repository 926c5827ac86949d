namespace CharRnn.Contracts;

/// <summary>An uploaded book: <c>POST /api/books</c>'s answer and <c>GET /api/books</c>'s items.</summary>
public sealed record BookDto(int Id, string Name, long SizeBytes, int Characters, int AlphabetSize, string Encoding, string Preview, DateTime CreatedAt);
