using CharRnn.Web.Data;

namespace CharRnn.Web.Contracts;

// The JSON shapes of DESIGN.md's REST API and hub messages (camelCase on the wire).

public sealed record BookDto(int Id, string Name, long SizeBytes, int Characters, int AlphabetSize, string Encoding, string Preview, DateTime CreatedAt)
{
    public static BookDto From(Book b) => new(b.Id, b.Name, b.SizeBytes, b.Characters, b.AlphabetSize, b.Encoding, b.Preview, b.CreatedAt);
}

public sealed record RunDto(
    int Id, int BookId, string Name, string Status, Training.TrainingOptions Options, long Step, long TotalSteps, int Epoch,
    double? TrainLoss, double? ValLoss, double? BestValLoss, double? CharsPerSecond, double? EtaSeconds, string Device,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error, string? LastSample,
    string? JobId = null, string? JobState = null, string? JobReason = null)
{
    public static RunDto From(Run r) => From(r, RunOptionsJson.Read(r.OptionsJson));

    /// <summary>With the options already read: the training loop sends a run with every step and need not parse them each time.</summary>
    public static RunDto From(Run r, Training.TrainingOptions options) => new(r.Id, r.BookId, r.Name, StatusName(r.Status), options, r.Step, r.TotalSteps, r.Epoch,
        r.TrainLoss, r.ValLoss, r.BestValLoss, r.CharsPerSecond, r.EtaSeconds, r.Device, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Error, r.LastSample,
        r.JobId, r.JobState, r.JobReason);

    public static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();
}

public sealed record MetricDto(long Step, int Epoch, double TrainLoss, double? ValLoss, double CharsPerSecond, DateTime At)
{
    public static MetricDto From(MetricPoint m) => new(m.Step, m.Epoch, m.TrainLoss, m.ValLoss, m.CharsPerSecond, m.At);
}

/// <param name="WholeSplit">False for an estimate from the run's subset of validation batches (between epoch ends).</param>
public sealed record EvaluationDto(long Step, double ValLoss, string Sample, bool WholeSplit = true);

/// <param name="State"><c>ok</c>; <c>missing</c> when its file is not in the data folder; <c>damaged</c> when the file's size is not the one written.</param>
public sealed record CheckpointDto(int Id, int? RunId, long Step, int Epoch, double? TrainLoss, double? ValLoss, long SizeBytes, DateTime CreatedAt, string? Name, string State = "ok")
{
    public static CheckpointDto From(CheckpointRecord c, string state = "ok") => new(c.Id, c.RunId, c.Step, c.Epoch, c.TrainLoss, c.ValLoss, c.SizeBytes, c.CreatedAt, c.Name, state);
}

/// <summary><c>GET /api/checkpoints/{id}/bits</c>: teacher-forced cross-entropy in bits per character over <paramref name="Characters"/> predictions.</summary>
public sealed record BitsDto(double BitsPerChar, int Characters);

/// <summary><c>Watch(runId)</c>'s answer: the run, and its metrics so far (thinned for drawing when there are more than a few thousand: <paramref name="TotalMetrics"/> says how many exist).</summary>
public sealed record RunSnapshot(RunDto Run, IReadOnlyList<MetricDto> Metrics, int TotalMetrics);

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

public sealed record PassageRequest(int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text);

public sealed record PassageDto(string Slug, string Url, int CheckpointId, string Prime, int Length, double Temperature, int? TopK, int Seed, string Text, DateTime CreatedAt)
{
    public static PassageDto From(Passage p) => new(p.Slug, $"/p/{p.Slug}", p.CheckpointId, p.Prime, p.Length, p.Temperature, p.TopK, p.Seed, p.Text, p.CreatedAt);
}

/// <summary>A run's read-only link (<c>POST /api/runs/{id}/links</c>).</summary>
public sealed record RunLinkDto(string Url);
