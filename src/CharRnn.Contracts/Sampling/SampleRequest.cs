namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/samples</c> and the sampling hub's <c>Sample</c>: a null <see cref="TopK"/> or <see cref="TopP"/> draws
/// from every character, a null seed picks one. <see cref="Stop"/> ends the passage as soon as it ends with one of up to
/// 4 strings (each at most 64 characters); <see cref="Length"/> stays the upper bound. <see cref="Beam"/> (1–8) searches
/// for the likeliest continuation with a beam that wide instead of drawing; it takes no top-k or top-p.
/// </summary>
public sealed record SampleRequest(int CheckpointId, string? Prime, int Length = 500, double Temperature = 1.0, int? TopK = null, int? Seed = null,
    double? TopP = null, IReadOnlyList<string>? Stop = null, int? Beam = null);

/// <summary>
/// A passage (prime included), the seed it was drawn with, and why it ended: at a stop or at its length. A beam search
/// also gives its continuation's natural-log probability and bits per character, at the temperature asked for.
/// </summary>
public sealed record SampleResponse(string Text, int Seed, SampleEnding EndedBy, double? LogProbability = null, double? BitsPerCharacter = null);

/// <summary><c>Count</c> passages (at most 8) from one prime with seeds <c>Seed</c>, <c>Seed + 1</c>, …, drawn together.</summary>
public sealed record VariationsRequest(int CheckpointId, string? Prime, int Length = 500, double Temperature = 1.0, int? TopK = null, int? Seed = null, int Count = 4,
    double? TopP = null, IReadOnlyList<string>? Stop = null, int? Beam = null)
{
    public SampleRequest Sample => new(CheckpointId, Prime, Length, Temperature, TopK, Seed, TopP, Stop, Beam);
}

public sealed record VariationsResponse(IReadOnlyList<SampleResponse> Passages);

/// <summary>
/// A chunk of passage <c>Index</c> of a variations stream (its first chunk begins with the prime). Each passage's last
/// chunk has <c>EndedBy</c>: why it ended.
/// </summary>
public sealed record VariationChunk(int Index, int Seed, string Text, SampleEnding? EndedBy = null);
