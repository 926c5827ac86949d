using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;

namespace CharRnn.Web.Client.Sampling;

/// <summary>
/// Checkpoints for sampling in this browser: downloaded once with progress, kept in the browser's Cache Storage
/// (a later visit sends no request for them), read into <see cref="LstmWeights"/> and copied into the module.
/// One model is loaded at a time: the module's memory holds one.
/// </summary>
public sealed class BrowserModelStore : IModelSource
{
    private (string Url, LstmWeights Weights, WasmCharModel Model)? _loaded;

    /// <summary>The address a checkpoint's file is fetched from; the server marks it immutable.</summary>
    public static string FileUrl(int checkpointId) => $"/api/checkpoints/{checkpointId}/file?format=safetensors";

    public async Task<bool> IsCachedAsync(int checkpointId)
    {
        if (!OperatingSystem.IsBrowser()) return false;
        await LstmModule.LoadAsync();
        return await LstmModule.IsCachedAsync(FileUrl(checkpointId));
    }

    public async Task ForgetAsync(int checkpointId)
    {
        if (!OperatingSystem.IsBrowser()) return;
        await LstmModule.LoadAsync();
        await LstmModule.ForgetAsync(FileUrl(checkpointId));
    }

    public async Task<(ICharModel Model, bool Downloaded)> LoadAsync(int checkpointId, Action<double, double> progress, bool dotnetKernel = false)
    {
        if (!OperatingSystem.IsBrowser()) throw new PlatformNotSupportedException("Sampling in the browser needs a browser.");
        var url = FileUrl(checkpointId);
        if (_loaded is { } loaded && loaded.Url == url) return (dotnetKernel ? new LstmEngine(loaded.Weights) : loaded.Model, false);
        await LstmModule.LoadAsync();
        var length = await LstmModule.DownloadAsync(url, progress);
        var bytes = new byte[Math.Abs(length)];
        LstmModule.Take(bytes);
        // Each stage takes tens of milliseconds for a 2×512 model in .NET's interpreter: yield between them, so the
        // browser paints and answers clicks while the model loads.
        await Task.Delay(1);
        var checkpoint = CheckpointFile.Read(bytes);
        await Task.Delay(1);
        var weights = new LstmWeights(checkpoint);
        await Task.Delay(1);
        var model = new WasmCharModel(weights);
        _loaded = (url, weights, model);
        return (dotnetKernel ? new LstmEngine(weights) : model, length > 0);
    }
}
