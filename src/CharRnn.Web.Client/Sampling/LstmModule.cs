using System.Runtime.InteropServices.JavaScript;

namespace CharRnn.Web.Client.Sampling;

/// <summary>The functions of <c>wwwroot/lstm/lstm-module.js</c>, which drives the WebAssembly SIMD module <c>lstm.wasm</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("browser")]
internal static partial class LstmModule
{
    public const string Name = "lstm";

    private static Task? _loading;

    /// <summary>Imports the glue and instantiates the module, once per page load.</summary>
    public static Task LoadAsync() => _loading ??= LoadOnceAsync();

    private static async Task LoadOnceAsync()
    {
        await JSHost.ImportAsync(Name, "/lstm/lstm-module.js");
        await InitAsync("/lstm/lstm.wasm");
    }

    [JSImport("init", Name)]
    private static partial Task InitAsync(string url);

    [JSImport("ensure", Name)]
    public static partial void Ensure(int bytes);

    [JSImport("write", Name)]
    public static partial void Write(int offset, [JSMarshalAs<JSType.MemoryView>] Span<byte> data);

    [JSImport("configure", Name)]
    public static partial void Configure(int[] layout);

    [JSImport("reset", Name)]
    public static partial void Reset();

    [JSImport("step", Name)]
    public static partial void Step(int token, [JSMarshalAs<JSType.MemoryView>] Span<byte> logits);

    [JSImport("state", Name)]
    public static partial void State(int layer, [JSMarshalAs<JSType.MemoryView>] Span<byte> state);

    [JSImport("download", Name)]
    public static partial Task<int> DownloadAsync(string url, [JSMarshalAs<JSType.Function<JSType.Number, JSType.Number>>] Action<double, double> progress);

    [JSImport("take", Name)]
    public static partial void Take([JSMarshalAs<JSType.MemoryView>] Span<byte> target);

    [JSImport("isCached", Name)]
    public static partial Task<bool> IsCachedAsync(string url);

    [JSImport("forget", Name)]
    public static partial Task ForgetAsync(string url);
}
