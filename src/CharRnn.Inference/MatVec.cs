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
        MatVecKernel.Auto => MatVecKernel.Portable,
        MatVecKernel.Vector256 when !Vector256.IsHardwareAccelerated => MatVecKernel.Portable,
        _ => kernel,
    };

    public static void MultiplyAdd(MatVecKernel kernel, ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        if (matrix.Length != x.Length * y.Length)
            throw new ArgumentException($"A {y.Length}×{x.Length} product needs {x.Length * y.Length} matrix values, not {matrix.Length}.");
        switch (kernel)
        {
            case MatVecKernel.Vector256: MultiplyAdd256(matrix, x, y); break;
            case MatVecKernel.Portable: MultiplyAddPortable(matrix, x, y); break;
            default: MultiplyAddTensorPrimitives(matrix, x, y); break;
        }
    }

    private static void MultiplyAddTensorPrimitives(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        var cols = x.Length;
        for (var r = 0; r < y.Length; r++)
            y[r] += TensorPrimitives.Dot(matrix.Slice(r * cols, cols), x);
    }

    // Four rows at a time: each load of x serves four rows, so the loop is bound by streaming the weights
    // (12 MB a step for 2×512, more than L2 holds) rather than by loads. Fused multiply-adds where the CPU has them.
    private static void MultiplyAdd256(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        var cols = x.Length;
        ref var m0 = ref MemoryMarshal.GetReference(matrix);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var blocked = cols & ~7;
        var r = 0;
        for (; r + 4 <= y.Length; r += 4)
        {
            ref var row0 = ref Unsafe.Add(ref m0, r * cols);
            ref var row1 = ref Unsafe.Add(ref row0, cols);
            ref var row2 = ref Unsafe.Add(ref row1, cols);
            ref var row3 = ref Unsafe.Add(ref row2, cols);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            var c = 0;
            for (; c < blocked; c += 8)
            {
                var xv = Vector256.LoadUnsafe(ref x0, (nuint)c);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row0, (nuint)c), xv, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row1, (nuint)c), xv, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row2, (nuint)c), xv, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row3, (nuint)c), xv, a3);
            }
            float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
            for (; c < cols; c++)
            {
                var xc = Unsafe.Add(ref x0, c);
                s0 += Unsafe.Add(ref row0, c) * xc;
                s1 += Unsafe.Add(ref row1, c) * xc;
                s2 += Unsafe.Add(ref row2, c) * xc;
                s3 += Unsafe.Add(ref row3, c) * xc;
            }
            y[r] += s0;
            y[r + 1] += s1;
            y[r + 2] += s2;
            y[r + 3] += s3;
        }
        for (; r < y.Length; r++) y[r] += TensorPrimitives.Dot(matrix.Slice(r * cols, cols), x);
    }

    // The reproducible order, mirrored by the browser's module (wwwroot/lstm/lstm.wat): for each row, accumulator j sums
    // columns 16i + 4j … 16i + 4j + 3 lane by lane (multiply, then add: never fused); then (a0 + a1) + (a2 + a3);
    // then its lanes as (l0 + l1) + (l2 + l3); then the columns past the last multiple of 16, one by one; then y += sum.
    // Wider registers hold several of those 4-lane accumulators side by side (a 512-bit one holds all four), so each lane
    // sees the same operations in the same order and the bits are the same on every CPU; they only load fewer times.
    private static void MultiplyAddPortable(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> y)
    {
        var cols = x.Length;
        ref var m0 = ref MemoryMarshal.GetReference(matrix);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var blocked = cols & ~15;
        for (var r = 0; r < y.Length; r++)
        {
            ref var row = ref Unsafe.Add(ref m0, r * cols);
            Vector128<float> a01, a23; // (a0 + a1) and (a2 + a3)
            if (Vector512.IsHardwareAccelerated)
            {
                var a = Vector512<float>.Zero;
                for (var c = 0; c < blocked; c += 16)
                    a = Vector512.Add(a, Vector512.Multiply(Vector512.LoadUnsafe(ref row, (nuint)c), Vector512.LoadUnsafe(ref x0, (nuint)c)));
                var (low, high) = (a.GetLower(), a.GetUpper());
                (a01, a23) = (Vector128.Add(low.GetLower(), low.GetUpper()), Vector128.Add(high.GetLower(), high.GetUpper()));
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> low = Vector256<float>.Zero, high = low;
                for (var c = 0; c < blocked; c += 16)
                {
                    low = Vector256.Add(low, Vector256.Multiply(Vector256.LoadUnsafe(ref row, (nuint)c), Vector256.LoadUnsafe(ref x0, (nuint)c)));
                    high = Vector256.Add(high, Vector256.Multiply(Vector256.LoadUnsafe(ref row, (nuint)(c + 8)), Vector256.LoadUnsafe(ref x0, (nuint)(c + 8))));
                }
                (a01, a23) = (Vector128.Add(low.GetLower(), low.GetUpper()), Vector128.Add(high.GetLower(), high.GetUpper()));
            }
            else
            {
                Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (var c = 0; c < blocked; c += 16)
                {
                    a0 = Vector128.Add(a0, Vector128.Multiply(Vector128.LoadUnsafe(ref row, (nuint)c), Vector128.LoadUnsafe(ref x0, (nuint)c)));
                    a1 = Vector128.Add(a1, Vector128.Multiply(Vector128.LoadUnsafe(ref row, (nuint)(c + 4)), Vector128.LoadUnsafe(ref x0, (nuint)(c + 4))));
                    a2 = Vector128.Add(a2, Vector128.Multiply(Vector128.LoadUnsafe(ref row, (nuint)(c + 8)), Vector128.LoadUnsafe(ref x0, (nuint)(c + 8))));
                    a3 = Vector128.Add(a3, Vector128.Multiply(Vector128.LoadUnsafe(ref row, (nuint)(c + 12)), Vector128.LoadUnsafe(ref x0, (nuint)(c + 12))));
                }
                (a01, a23) = (Vector128.Add(a0, a1), Vector128.Add(a2, a3));
            }
            var a4 = Vector128.Add(a01, a23);
            var sum = (a4.GetElement(0) + a4.GetElement(1)) + (a4.GetElement(2) + a4.GetElement(3));
            for (var c = blocked; c < cols; c++) sum += Unsafe.Add(ref row, c) * Unsafe.Add(ref x0, c);
            y[r] += sum;
        }
    }
}
