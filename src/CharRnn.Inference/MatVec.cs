using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CharRnn.Inference;

/// <summary>y += M·x for a row-major matrix M of y.Length rows and x.Length columns.</summary>
internal static class MatVec
{
    public static MatVecKernel Resolve(MatVecKernel kernel) => kernel switch
    {
        MatVecKernel.Auto => OperatingSystem.IsBrowser() ? MatVecKernel.Vector128 : MatVecKernel.TensorPrimitives,
        _ => kernel,
    };

    public static void MultiplyAdd(MatVecKernel kernel, ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        if (matrix.Length != x.Length * y.Length)
            throw new ArgumentException($"A {y.Length}×{x.Length} product needs {x.Length * y.Length} matrix values, not {matrix.Length}.");
        if (kernel == MatVecKernel.Vector128) MultiplyAdd128(matrix, x, y);
        else MultiplyAddTensorPrimitives(matrix, x, y);
    }

    private static void MultiplyAddTensorPrimitives(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        var cols = x.Length;
        for (var r = 0; r < y.Length; r++)
            y[r] += TensorPrimitives.Dot(matrix.Slice(r * cols, cols), x);
    }

    // Four accumulators per row hide the latency of the adds; the tail (cols not a multiple of 16) is scalar.
    private static void MultiplyAdd128(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        var cols = x.Length;
        ref var m0 = ref MemoryMarshal.GetReference(matrix);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var blocked = cols & ~15;
        for (var r = 0; r < y.Length; r++)
        {
            ref var row = ref Unsafe.Add(ref m0, r * cols);
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            var c = 0;
            for (; c < blocked; c += 16)
            {
                a0 += Vector128.LoadUnsafe(ref row, (nuint)c) * Vector128.LoadUnsafe(ref x0, (nuint)c);
                a1 += Vector128.LoadUnsafe(ref row, (nuint)(c + 4)) * Vector128.LoadUnsafe(ref x0, (nuint)(c + 4));
                a2 += Vector128.LoadUnsafe(ref row, (nuint)(c + 8)) * Vector128.LoadUnsafe(ref x0, (nuint)(c + 8));
                a3 += Vector128.LoadUnsafe(ref row, (nuint)(c + 12)) * Vector128.LoadUnsafe(ref x0, (nuint)(c + 12));
            }
            var sum = Vector128.Sum((a0 + a1) + (a2 + a3));
            for (; c < cols; c++) sum += Unsafe.Add(ref row, c) * Unsafe.Add(ref x0, c);
            y[r] += sum;
        }
    }
}
