using CharRnn.Inference.Lstm;

namespace CharRnn.Web.Client.Sampling;

/// <summary>Checkpoints to sample from on this side of the network: kept where the page can reach them again without the server.</summary>
public interface IModelSource
{
    /// <summary>Weights above this stay on the server: a larger download and copy is no pleasure in a browser tab.</summary>
    const long MaxBytes = 100L * 1024 * 1024;

    Task<bool> IsCachedAsync(int checkpointId);

    Task ForgetAsync(int checkpointId);

    /// <summary>The model, from memory, a cache or the server; <paramref name="progress"/> gets (bytes so far, total).</summary>
    /// <param name="dotnetKernel">Step with .NET's own C# engine instead of the fastest one here: only to measure the difference.</param>
    /// <returns>The model and whether its bytes came over the network.</returns>
    Task<(ICharModel Model, bool Downloaded)> LoadAsync(int checkpointId, Action<double, double> progress, bool dotnetKernel = false);
}
