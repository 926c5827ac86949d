using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Web.Client.Sampling;

namespace CharRnn.Web.Tests.Client;

/// <summary>
/// Checkpoints fetched from the server's API and stepped by the .NET engine, cached for the session as a browser's
/// would be: what the page sessions read with, without a browser and its WebAssembly module (same bits).
/// </summary>
internal sealed class EngineModels(HttpClient http) : IModelSource
{
    private readonly HashSet<int> _cached = [];

    public Task<bool> IsCachedAsync(int checkpointId) => Task.FromResult(_cached.Contains(checkpointId));

    public Task ForgetAsync(int checkpointId) => Task.FromResult(_cached.Remove(checkpointId));

    public async Task<(ICharModel Model, bool Downloaded)> LoadAsync(int checkpointId, Action<double, double> progress, bool dotnetKernel = false)
    {
        var bytes = await http.GetByteArrayAsync(BrowserModelStore.FileUrl(checkpointId));
        progress(bytes.Length, bytes.Length);
        return (new LstmEngine(new LstmWeights(CheckpointFile.Read(bytes))), _cached.Add(checkpointId));
    }
}
