using CharRnn.Training.Devices;
using CharRnn.Training.Precision;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Runs;

/// <summary>
/// Where this server's runs train, decided once for the queue, the run's record, the New run page and the Slurm
/// executor. A run this server trains itself takes this server's device (<see cref="TrainingDevices.Here"/>); a Slurm
/// job's device is the compute node's, so the web host's own hardware does not matter there: a run asking for
/// <c>cuda</c> asks the cluster for a GPU (<c>--gres=gpu:1</c>), and <c>auto</c> asks for none.
/// </summary>
public sealed class RunDevices(IOptionsMonitor<StudioOptions> studio)
{
    private bool OnCluster => studio.CurrentValue.Executor == RunExecutors.Slurm;

    /// <summary>The device a run asking for <paramref name="choice"/> is recorded with when it is queued; the trainer records the one it got when it starts.</summary>
    public TrainingDevice Planned(DeviceChoice choice) => OnCluster ? TrainingDevices.For(choice, cudaAvailable: false) : TrainingDevices.Here(choice);

    /// <summary>Why a run asking for <paramref name="choice"/> cannot be queued here, or null: only <c>cuda</c> on a server that trains its runs itself and has no GPU.</summary>
    public string? Problem(DeviceChoice choice) => OnCluster ? null : TrainingDevices.UnavailableHere(Planned(choice));

    /// <summary>
    /// The precision a run with these options is recorded with when it is queued: here, what its choice becomes on this
    /// server's device; on the cluster, what it becomes on a node without native bfloat16 (the worker records what it got).
    /// </summary>
    public TrainingPrecision PlannedPrecision(TrainingOptions options) => OnCluster
        ? TrainingPrecisions.For(options.Precision, nativeBfloat16: false)
        : TrainingPrecisions.Here(options.Precision, Planned(options.Device));

    /// <summary>The precision in words for the New run page: what <c>auto</c> picks on this server and why, or that a cluster node decides.</summary>
    public string DescribePrecision(TrainingOptions options)
    {
        if (OnCluster && options.Precision == PrecisionChoice.Auto) return "decided on the cluster node: bfloat16 where it computes in it natively, else float32";
        return Problem(options.Device) is null ? TrainingPrecisions.ExplainHere(options.Precision, Planned(options.Device)) : TrainingPrecisions.For(options.Precision, false).Name();
    }

    /// <summary>The device in words for the New run page: "CPU: 2 cores", "CUDA: NVIDIA H200, 139.8 GiB", or a cluster node's.</summary>
    public string Describe(DeviceChoice choice)
    {
        if (OnCluster) return SlurmExecutor.AsksForGpu(choice) ? "a GPU of a cluster node (Slurm, --gres=gpu:1)" : "the CPUs of a cluster node (Slurm)";
        return Problem(choice) is null ? Planned(choice).Describe() : "CUDA: not available on this server";
    }
}
