using CharRnn.Inference;

namespace CharRnn.Web.Client.Sampling;

/// <summary>
/// Checkpoints for sampling in this browser: downloaded once with progress, kept in the browser's Cache Storage
/// (a later visit sends no request for them), read into <see cref="LstmWeights"/> and copied into the module.
/// One model is loaded at a time: the module's memory holds one.
/// </summary>
public sealed class BrowserModelStore
{
    /// <summary>Weights above this stay on the server: a larger download and copy is no pleasure in a browser tab.</summary>
    public const long MaxBrowserBytes = 100L * 1024 * 1024;

    private (string Url, WasmCharModel Model)? _loaded;

    /// <summary>The address a checkpoint's file is fetched from; the server marks it immutable.</summary>
    public static string FileUrl(int checkpointId) => $"/api/checkpoints/{checkpointId}/file?format=safetensors";

    public Task<bool> IsCachedAsync(int checkpointId) => LoadModuleThen(() => LstmModule.IsCachedAsync(FileUrl(checkpointId)));

    public async Task ForgetAsync(int checkpointId)
    {
        await LstmModule.LoadAsync();
        await LstmModule.ForgetAsync(FileUrl(checkpointId));
    }

    /// <summary>The model, from memory, the browser's cache or the server; <paramref name="progress"/> gets (bytes so far, total).</summary>
    /// <returns>The model and whether its bytes came over the network.</returns>
    public async Task<(ICharModel Model, bool Downloaded)> LoadAsync(int checkpointId, Action<double, double> progress)
    {
        var url = FileUrl(checkpointId);
        if (_loaded is { } loaded && loaded.Url == url) return (loaded.Model, false);
        await LstmModule.LoadAsync();
        var length = await LstmModule.DownloadAsync(url, progress);
        var bytes = new byte[Math.Abs(length)];
        LstmModule.Take(bytes);
        var checkpoint = CheckpointFile.Read(bytes);
        var model = new WasmCharModel(new LstmWeights(checkpoint));
        _loaded = (url, model);
        return (model, length > 0);
    }

    private static async Task<T> LoadModuleThen<T>(Func<Task<T>> then)
    {
        await LstmModule.LoadAsync();
        return await then();
    }
}
