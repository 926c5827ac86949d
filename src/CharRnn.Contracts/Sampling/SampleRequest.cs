namespace CharRnn.Contracts;

/// <summary><c>POST /api/samples</c> and the sampling hub's <c>Sample</c>: a null <see cref="TopK"/> draws from every character, a null seed picks one.</summary>
public sealed record SampleRequest(int CheckpointId, string? Prime, int Length = 500, double Temperature = 1.0, int? TopK = null, int? Seed = null);

public sealed record SampleResponse(string Text, int Seed);

/// <summary><c>Count</c> passages (at most 8) from one prime with seeds <c>Seed</c>, <c>Seed + 1</c>, …, drawn together.</summary>
public sealed record VariationsRequest(int CheckpointId, string? Prime, int Length = 500, double Temperature = 1.0, int? TopK = null, int? Seed = null, int Count = 4)
{
    public SampleRequest Sample => new(CheckpointId, Prime, Length, Temperature, TopK, Seed);
}

public sealed record VariationsResponse(IReadOnlyList<SampleResponse> Passages);

/// <summary>A chunk of passage <c>Index</c> of a variations stream (its first chunk begins with the prime).</summary>
public sealed record VariationChunk(int Index, int Seed, string Text);
