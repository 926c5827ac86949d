using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// Where a run stands; the JSON writes it in camelCase (<c>"queued"</c>), the store by name. <see cref="Stopped"/>: stopped
/// early with a checkpoint and its reason (<see cref="RunDto.StopReason"/>), by its sweep's successive halving at a rung
/// or by its health settings when it stayed stuck.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RunStatus>))]
public enum RunStatus { Queued, Running, Completed, Failed, Cancelled, Interrupted, Stopped }

public static class RunStatuses
{
    /// <summary>Queued or running: the run is the queue's or a trainer's, so it can be cancelled and not deleted.</summary>
    public static bool IsActive(this RunStatus status) => status is RunStatus.Queued or RunStatus.Running;

    /// <summary>Stopped before its end: it can be resumed from its newest checkpoint (a stopped trial: promoted).</summary>
    public static bool IsResumable(this RunStatus status) => status is RunStatus.Interrupted or RunStatus.Cancelled or RunStatus.Failed or RunStatus.Stopped;

    /// <summary>The status as people and the JSON read it: <c>queued</c>.</summary>
    public static string Name(this RunStatus status) => ContractsJson.Name(status);
}
