namespace CharRnn.Web.Client.Pages;

// What the browser's pages read from and send to the REST API and /hubs/sampling (docs/design.md, Contracts):
// the JSON shapes, declared here because this assembly runs in the browser and cannot reference the server's.

public sealed record CheckpointInfo(int Id, int? RunId, long Step, int Epoch, double? TrainLoss, double? ValLoss, long SizeBytes, string? Name);

public sealed record RunInfo(int Id, string Name);

public sealed record SampleRequest(int CheckpointId, string? Prime, int Length, double Temperature, int? TopK, int? Seed);

public sealed record VariationsRequest(int CheckpointId, string? Prime, int Length, double Temperature, int? TopK, int? Seed, int Count);

public sealed record VariationChunk(int Index, int Seed, string Text);

public sealed record PassageRequest(int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text);

public sealed record PassageCreated(string Slug, string Url);
