using TorchSharp;

namespace CharRnn.Training.Devices;

/// <summary>
/// The one place a device is resolved, named and described. A choice is resolved where the run trains: by the web
/// server for runs it trains itself, by the compute node for a Slurm job, by <c>charrnn train</c> on its machine.
/// </summary>
public static class TrainingDevices
{
    /// <summary>True when this build carries the CUDA libtorch and a GPU answers.</summary>
    public static bool CudaAvailable
    {
        get
        {
            try { return torch.cuda.is_available(); }
            catch (Exception) { return false; }
        }
    }

    /// <summary>The device a choice becomes on a machine with or without a GPU: auto takes the GPU where there is one.</summary>
    public static TrainingDevice For(DeviceChoice choice, bool cudaAvailable) => choice switch
    {
        DeviceChoice.Cpu => TrainingDevice.Cpu,
        DeviceChoice.Cuda => TrainingDevice.Cuda,
        _ => cudaAvailable ? TrainingDevice.Cuda : TrainingDevice.Cpu,
    };

    /// <summary>The device a choice becomes on this machine.</summary>
    public static TrainingDevice Here(DeviceChoice choice) => For(choice, CudaAvailable);

    /// <summary>Why this machine cannot train on <paramref name="device"/>, or null when it can.</summary>
    public static string? UnavailableHere(TrainingDevice device) => device == TrainingDevice.Cuda && !CudaAvailable
        ? "CUDA was asked for, but this machine has no GPU, or this build has no CUDA backend (build with -p:TorchBackend=cuda on a machine with a GPU). Choose cpu or auto."
        : null;

    /// <summary>"CPU" or "CUDA": how runs record and pages show it.</summary>
    public static string Name(this TrainingDevice device) => device == TrainingDevice.Cuda ? "CUDA" : "CPU";

    /// <summary>The device of a recorded name (<see cref="Name"/>).</summary>
    public static TrainingDevice Parse(string name) => name == "CUDA" ? TrainingDevice.Cuda : TrainingDevice.Cpu;

    /// <summary>"CUDA: NVIDIA H200, 139.8 GiB" (each GPU nvidia-smi lists) or "CPU: 2 cores": the device of this machine, for people.</summary>
    public static string Describe(this TrainingDevice device) => device == TrainingDevice.Cuda
        ? GpuInfo.All.Count > 0 ? "CUDA: " + string.Join("; ", GpuInfo.All) : "CUDA"
        : $"CPU: {Environment.ProcessorCount} cores";

    /// <summary>libtorch's device; a clear refusal where this machine cannot train on it.</summary>
    public static torch.Device Torch(this TrainingDevice device) =>
        UnavailableHere(device) is { } why ? throw new InvalidOperationException(why)
        : device == TrainingDevice.Cuda ? torch.CUDA : torch.CPU;
}
