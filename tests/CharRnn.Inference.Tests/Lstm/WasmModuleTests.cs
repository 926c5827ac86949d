using System.Diagnostics;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using Wasmtime;

namespace CharRnn.Inference.Tests;

/// <summary>
/// The browser's WebAssembly module (wwwroot/lstm): its binary is its source compiled, and its arithmetic gives the
/// C# engine's bits, so a seed draws the same text in the browser as on the server.
/// </summary>
public sealed class WasmModuleTests : IDisposable
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "wwwroot", "lstm");
    private readonly Engine _engine = new(new Config().WithSIMD(true));
    private readonly Store _store;
    private readonly Instance _instance;
    private readonly Memory _memory;

    public WasmModuleTests()
    {
        _store = new Store(_engine);
        using var module = Module.FromBytes(_engine, "lstm", File.ReadAllBytes(Path.Combine(Folder, "lstm.wasm")));
        _instance = new Linker(_engine).Instantiate(_store, module);
        _memory = _instance.GetMemory("memory")!;
        _memory.Grow(200); // 12.5 MiB: a 2048 × 1024 matrix and its vectors
    }

    public void Dispose()
    {
        _store.Dispose();
        _engine.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CharRnn.Web.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No folder above the tests holds CharRnn.Web.sln.");
    }

    private int Put(int offset, float[] values)
    {
        values.CopyTo(_memory.GetSpan<float>(offset, values.Length));
        return offset;
    }

    private static float[] RandomFloats(SeededRandom random, int count, double scale = 1) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    [SkippableFact]
    [Slow(SlowBecause.Process)]
    public void The_binary_is_the_source_compiled_by_wat2wasm()
    {
        var output = Path.Combine(Path.GetTempPath(), $"lstm-{Guid.NewGuid():N}.wasm");
        Process? process = null;
        try { process = Process.Start(new ProcessStartInfo("wat2wasm", ["lstm.wat", "-o", output]) { WorkingDirectory = Folder, RedirectStandardError = true }); }
        catch (System.ComponentModel.Win32Exception) { }
        Skip.If(process is null, "wat2wasm is not installed (apt-get install wabt).");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(Path.Combine(Folder, "lstm.wasm")));
        File.Delete(output);
    }

    [Theory]
    [InlineData(2048, 512)]
    [InlineData(2048, 1024)]
    [InlineData(83, 512)]
    [InlineData(7, 37)]
    public void Its_products_equal_the_portable_kernels_bit_for_bit(int rows, int cols)
    {
        var random = new SeededRandom(rows + 7 * cols);
        var (matrix, x, y) = (RandomFloats(random, rows * cols), RandomFloats(random, cols), RandomFloats(random, rows));
        var m = Put(0, matrix);
        var xAt = Put(m + matrix.Length * 4, x);
        var yAt = Put(xAt + x.Length * 4, y);

        _instance.GetAction<int, int, int, int, int>("matvec")!(m, xAt, yAt, rows, cols);
        MatVec.MultiplyAdd(MatVecKernel.Portable, matrix, x, y);

        Assert.Equal(y, _memory.GetSpan<float>(yAt, rows).ToArray());
    }

    [Fact]
    public void Its_cell_update_and_the_activated_gates_it_leaves_equal_the_engines_bit_for_bit()
    {
        const int hidden = 512;
        var random = new SeededRandom(5);
        var gates = RandomFloats(random, 4 * hidden, scale: 8); // past the nonlinearities' flat ends too
        var c = RandomFloats(random, hidden, scale: 3);
        var h = new float[hidden];
        var gatesAt = Put(0, gates);
        var hAt = Put(gates.Length * 4, h);
        var cAt = Put(hAt + hidden * 4, c);

        _instance.GetAction<int, int, int, int>("cell")!(gatesAt, hAt, cAt, hidden);
        LstmEngine.UpdateCell(gates, h, c, hidden);

        Assert.Equal(h, _memory.GetSpan<float>(hAt, hidden).ToArray());
        Assert.Equal(c, _memory.GetSpan<float>(cAt, hidden).ToArray());
        Assert.Equal(gates, _memory.GetSpan<float>(gatesAt, 4 * hidden).ToArray());
    }
}
