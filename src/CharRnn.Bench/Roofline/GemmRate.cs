using System.Diagnostics;
using static TorchSharp.torch;

namespace CharRnn.Bench.Roofline;

/// <summary>This machine's matrix-multiply rate at one shape and type: <c>torch.matmul</c> of random matrices, as libtorch runs it.</summary>
internal static class GemmRate
{
    /// <summary>GFLOP/s of (m × k) · (k × n) in <paramref name="type"/>: a few warm-up products, then as many as fit in about <paramref name="seconds"/>.</summary>
    public static double Measure(ModelProduct product, ScalarType type, double seconds = 0.5)
    {
        using var scope = NewDisposeScope();
        var a = randn(product.M, product.K).to(type);
        var b = randn(product.K, product.N).to(type);
        for (var i = 0; i < 3; i++) matmul(a, b).Dispose();
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            matmul(a, b).Dispose();
            count++;
        }
        return product.Flops * count / clock.Elapsed.TotalSeconds / 1e9;
    }
}
