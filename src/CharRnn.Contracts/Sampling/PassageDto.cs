namespace CharRnn.Contracts;

/// <summary><c>POST /api/passages</c>: a drawn passage with everything needed to draw it again.</summary>
public sealed record PassageRequest(int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text,
    double? TopP = null, IReadOnlyList<string>? Stop = null, int? Beam = null);

/// <summary>A shared passage; its page is <see cref="Url"/> (<c>/p/{slug}</c>). <see cref="Stop"/> is empty when it had none; <see cref="Beam"/> is a beam search's width, null for a drawn passage.</summary>
public sealed record PassageDto(string Slug, string Url, int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text, DateTime CreatedAt,
    double? TopP, IReadOnlyList<string> Stop, int? Beam);
