namespace CharRnn.Web.Features.Events;

/// <summary>What a training run reports, as the hub messages of DESIGN.md carry it.</summary>
public abstract record TrainingEvent(int RunId)
{
    /// <summary>True when it happened on another instance and came through Redis (<c>RedisTrainingRelay</c>).</summary>
    public bool Relayed { get; init; }
}

public sealed record ProgressEvent(int RunId, MetricDto Metric, RunDto Run) : TrainingEvent(RunId);

public sealed record EvaluatedEvent(int RunId, EvaluationDto Evaluation) : TrainingEvent(RunId);

public sealed record CheckpointSavedEvent(int RunId, CheckpointDto Checkpoint) : TrainingEvent(RunId);

public sealed record StatusChangedEvent(int RunId, RunStatus Status, string? Error) : TrainingEvent(RunId);
