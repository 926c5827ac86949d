using TorchSharp;

namespace CharRnn.Training;

/// <summary>Picks where a run trains: CUDA when asked for (or on auto) and present, else the CPU.</summary>
public static class TorchDevices
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

    public static torch.Device Resolve(string device) => device switch
    {
        "cpu" => torch.CPU,
        "cuda" when CudaAvailable => torch.CUDA,
        "cuda" => throw new InvalidOperationException("CUDA was asked for, but this build has no CUDA backend or no GPU is present. Build with -p:TorchBackend=cuda on a machine with a GPU, or choose the CPU."),
        _ => CudaAvailable ? torch.CUDA : torch.CPU,
    };

    /// <summary>"CUDA: NVIDIA H200, 139.8 GiB" (each GPU nvidia-smi lists), or "CUDA" when it lists none.</summary>
    public static string CudaDescription =>
        GpuInfo.All.Count > 0 ? "CUDA: " + string.Join("; ", GpuInfo.All) : "CUDA";

    /// <summary>A name for people: "CPU (2 threads)" or the GPU's (<see cref="CudaDescription"/>).</summary>
    public static string Describe(torch.Device device) =>
        device.type == DeviceType.CUDA ? CudaDescription : $"CPU ({torch.get_num_threads()} threads)";
}
