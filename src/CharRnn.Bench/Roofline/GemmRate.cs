using System.Diagnostics;
using static TorchSharp.torch;

namespace CharRnn.Bench.Roofline;

/// <summary>This machine's matrix-multiply rate at one shape and type: <c>torch.matmul</c> of random matrices, as libtorch runs it.</summary>
internal static class GemmRate
{
    /// <summary>
    /// GFLOP/s of (m × k) · (k × n) in <paramref name="type"/>: a few warm-up products, then the best of
    /// <paramref name="rounds"/> rounds of about <paramref name="seconds"/> each. A roofline is the rate the machine can
    /// reach: one long round read 30 % low whenever a neighbour took the cores for part of it.
    /// </summary>
    public static double Measure(ModelProduct product, ScalarType type, int rounds = 5, double seconds = 0.1)
    {
        using var scope = NewDisposeScope();
        var a = randn(product.M, product.K).to(type);
        var b = randn(product.K, product.N).to(type);
        for (var i = 0; i < 3; i++) matmul(a, b).Dispose();
        var best = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var count = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                matmul(a, b).Dispose();
                count++;
            }
            best = Math.Max(best, product.Flops * count / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
