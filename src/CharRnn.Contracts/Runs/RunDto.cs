namespace CharRnn.Contracts;

/// <summary>A run as <c>GET /api/runs/{id}</c> and the training hub show it.</summary>
/// <param name="Device">Where it trains or will train: what its device choice became (<c>cpu</c>, <c>cuda</c>).</param>
/// <param name="Precision">What its forward and backward passes compute in, or will: what its precision choice became (<c>float32</c>, <c>bfloat16</c>).</param>
/// <param name="Health">What is wrong with it as it trains (stuck, diverging, overfitting, stalled), or null while it learns.</param>
/// <param name="RemedyOf">The run whose health warning's remedy created this one; <paramref name="RemedyFromStep"/> is the step of its best checkpoint where the remedy resumed from it.</param>
/// <param name="SweepId">The sweep whose trial it is.</param>
/// <param name="StopReason">Why it was stopped early: its sweep's successive halving at a rung, or its health settings when it stayed stuck.</param>
/// <param name="FineTunedFrom">For a fine-tune: the checkpoint it started from, that checkpoint's run and book, and the characters its alphabet gained.</param>
/// <param name="AlsoEvaluatedOn">The other books it is also evaluated on (<see cref="CreateRunRequest.AlsoEvaluateOn"/>); their losses are in its metrics (<see cref="MetricDto.OtherBooks"/>).</param>
/// <param name="JobId">With the Slurm executor: the batch job that trains it, with Slurm's state and, while it waits, reason.</param>
public sealed record RunDto(
    int Id, int BookId, string Name, RunStatus Status, TrainingOptions Options, long Step, long TotalSteps, int Epoch,
    double? TrainLoss, double? ValLoss, double? BestValLoss, double? CharsPerSecond, double? EtaSeconds, TrainingDevice Device, TrainingPrecision Precision,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error, string? LastSample,
    string? JobId = null, string? JobState = null, string? JobReason = null, int? SweepId = null, string? StopReason = null, RunHealth? Health = null, int? RemedyOf = null, long? RemedyFromStep = null, FineTuneLineage? FineTunedFrom = null,
    IReadOnlyList<EvaluationBook>? AlsoEvaluatedOn = null);
