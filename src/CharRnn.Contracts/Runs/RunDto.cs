namespace CharRnn.Contracts;

/// <summary>A run as <c>GET /api/runs/{id}</c> and the training hub show it.</summary>
/// <param name="Device">Where it trains or will train, as people read it: <c>CPU</c>, <c>CUDA</c>.</param>
/// <param name="Precision">What its forward and backward passes compute in, or will: <c>float32</c>, <c>bfloat16</c> (what <c>auto</c> became).</param>
/// <param name="Health">What is wrong with it as it trains (stuck, diverging, overfitting, stalled), or null while it learns.</param>
/// <param name="RemedyOf">The run whose health warning's remedy created this one; <paramref name="RemedyFromStep"/> is the step of its best checkpoint where the remedy resumed from it.</param>
/// <param name="SweepId">The sweep whose trial it is; <paramref name="StopReason"/> says why the sweep stopped it early.</param>
/// <param name="JobId">With the Slurm executor: the batch job that trains it, with Slurm's state and, while it waits, reason.</param>
public sealed record RunDto(
    int Id, int BookId, string Name, RunStatus Status, TrainingOptions Options, long Step, long TotalSteps, int Epoch,
    double? TrainLoss, double? ValLoss, double? BestValLoss, double? CharsPerSecond, double? EtaSeconds, string Device, string Precision,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error, string? LastSample,
    string? JobId = null, string? JobState = null, string? JobReason = null, int? SweepId = null, string? StopReason = null, RunHealth? Health = null, int? RemedyOf = null, long? RemedyFromStep = null);
