namespace CharRnn.Contracts;

/// <summary><c>POST /api/passages</c>: a drawn passage with everything needed to draw it again.</summary>
public sealed record PassageRequest(int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text);

/// <summary>A shared passage; its page is <see cref="Url"/> (<c>/p/{slug}</c>).</summary>
public sealed record PassageDto(string Slug, string Url, int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text, DateTime CreatedAt);
