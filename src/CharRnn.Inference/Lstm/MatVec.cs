using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CharRnn.Inference.Lstm;

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
        for (var r = 0; r < y.Length; r++)
            y[r] += RowDotPortable(ref Unsafe.Add(ref m0, r * cols), ref x0, cols);
    }

    /// <summary>
    /// ys[b] += M·xs[b] for <paramref name="count"/> vectors stored one after another, each with exactly
    /// <see cref="MultiplyAddPortable"/>'s operations (so each its own bits), but every row read from memory once for all
    /// of them: a 2×512 model's 12.8 MB of weights stream once a step however many passages advance.
    /// </summary>
    public static void MultiplyAddPortableBatch(ReadOnlySpan<float> matrix, ReadOnlySpan<float> xs, Span<float> ys, int count) =>
        MultiplyAddPortableBatch(matrix, xs, ys, count, 0, ys.Length / count);

    /// <summary>As above, for rows <paramref name="rowStart"/> to <paramref name="rowEnd"/> only (so threads can share a product).</summary>
    public static void MultiplyAddPortableBatch(ReadOnlySpan<float> matrix, ReadOnlySpan<float> xs, Span<float> ys, int count, int rowStart, int rowEnd)
    {
        var cols = xs.Length / count;
        var rows = ys.Length / count;
        if (matrix.Length != rows * cols || xs.Length != count * cols || ys.Length != count * rows || rowStart < 0 || rowEnd > rows)
            throw new ArgumentException($"A batch of {count} products of a {rows}×{cols} matrix needs {rows * cols} matrix values, {count * cols} inputs and {count * rows} outputs.");
        ref var m0 = ref MemoryMarshal.GetReference(matrix);
        ref var x0 = ref MemoryMarshal.GetReference(xs);
        ref var y0 = ref MemoryMarshal.GetReference(ys);
        var r = rowStart;
        if (Vector512.IsHardwareAccelerated)
        {
            // 4 rows × 4 passages a block: 16 accumulators, 8 loads for 16 multiply-adds, so arithmetic rather than
            // loads sets the pace; every passage's lanes still see their own row's products in the portable order.
            var groups = count & ~3;
            for (; r + 4 <= rowEnd; r += 4)
            {
                ref var row = ref Unsafe.Add(ref m0, r * cols);
                var b = 0;
                for (; b < groups; b += 4)
                    Block4x4Portable512(ref row, ref Unsafe.Add(ref x0, b * cols), cols, ref Unsafe.Add(ref y0, b * rows + r), rows);
                for (; b < count; b++)
                    Block4x1Portable512(ref row, ref Unsafe.Add(ref x0, b * cols), cols, ref Unsafe.Add(ref y0, b * rows + r));
            }
        }
        for (; r < rowEnd; r++)
        {
            ref var row = ref Unsafe.Add(ref m0, r * cols);
            for (var b = 0; b < count; b++)
                Unsafe.Add(ref y0, b * rows + r) += RowDotPortable(ref row, ref Unsafe.Add(ref x0, b * cols), cols);
        }
    }

    /// <summary>y[k] += row k · x for 4 rows (one after another) and one passage's vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x1Portable512(ref float row0, ref float x0, int cols, ref float y0)
    {
        var blocked = cols & ~15;
        ref var row1 = ref Unsafe.Add(ref row0, cols);
        ref var row2 = ref Unsafe.Add(ref row1, cols);
        ref var row3 = ref Unsafe.Add(ref row2, cols);
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (var c = 0; c < blocked; c += 16)
        {
            var v = Vector512.LoadUnsafe(ref x0, (nuint)c);
            a0 = Vector512.Add(a0, Vector512.Multiply(Vector512.LoadUnsafe(ref row0, (nuint)c), v));
            a1 = Vector512.Add(a1, Vector512.Multiply(Vector512.LoadUnsafe(ref row1, (nuint)c), v));
            a2 = Vector512.Add(a2, Vector512.Multiply(Vector512.LoadUnsafe(ref row2, (nuint)c), v));
            a3 = Vector512.Add(a3, Vector512.Multiply(Vector512.LoadUnsafe(ref row3, (nuint)c), v));
        }
        Unsafe.Add(ref y0, 0) += Finish(a0, ref row0, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 1) += Finish(a1, ref row1, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 2) += Finish(a2, ref row2, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 3) += Finish(a3, ref row3, ref x0, blocked, cols);
    }

    /// <summary>y[s·rows + k] += row k · x s, for 4 rows (one after another) and 4 passages' vectors (one after another).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4Portable512(ref float row0, ref float x0, int cols, ref float y0, int rows)
    {
        var blocked = cols & ~15;
        ref var row1 = ref Unsafe.Add(ref row0, cols);
        ref var row2 = ref Unsafe.Add(ref row1, cols);
        ref var row3 = ref Unsafe.Add(ref row2, cols);
        ref var x1 = ref Unsafe.Add(ref x0, cols);
        ref var x2 = ref Unsafe.Add(ref x1, cols);
        ref var x3 = ref Unsafe.Add(ref x2, cols);
        // aRS: row R, passage S.
        Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00,
            a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (var c = 0; c < blocked; c += 16)
        {
            var m0 = Vector512.LoadUnsafe(ref row0, (nuint)c);
            var m1 = Vector512.LoadUnsafe(ref row1, (nuint)c);
            var m2 = Vector512.LoadUnsafe(ref row2, (nuint)c);
            var m3 = Vector512.LoadUnsafe(ref row3, (nuint)c);
            var v = Vector512.LoadUnsafe(ref x0, (nuint)c);
            a00 = Vector512.Add(a00, Vector512.Multiply(m0, v)); a10 = Vector512.Add(a10, Vector512.Multiply(m1, v));
            a20 = Vector512.Add(a20, Vector512.Multiply(m2, v)); a30 = Vector512.Add(a30, Vector512.Multiply(m3, v));
            v = Vector512.LoadUnsafe(ref x1, (nuint)c);
            a01 = Vector512.Add(a01, Vector512.Multiply(m0, v)); a11 = Vector512.Add(a11, Vector512.Multiply(m1, v));
            a21 = Vector512.Add(a21, Vector512.Multiply(m2, v)); a31 = Vector512.Add(a31, Vector512.Multiply(m3, v));
            v = Vector512.LoadUnsafe(ref x2, (nuint)c);
            a02 = Vector512.Add(a02, Vector512.Multiply(m0, v)); a12 = Vector512.Add(a12, Vector512.Multiply(m1, v));
            a22 = Vector512.Add(a22, Vector512.Multiply(m2, v)); a32 = Vector512.Add(a32, Vector512.Multiply(m3, v));
            v = Vector512.LoadUnsafe(ref x3, (nuint)c);
            a03 = Vector512.Add(a03, Vector512.Multiply(m0, v)); a13 = Vector512.Add(a13, Vector512.Multiply(m1, v));
            a23 = Vector512.Add(a23, Vector512.Multiply(m2, v)); a33 = Vector512.Add(a33, Vector512.Multiply(m3, v));
        }
        Unsafe.Add(ref y0, 0) += Finish(a00, ref row0, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 1) += Finish(a10, ref row1, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 2) += Finish(a20, ref row2, ref x0, blocked, cols);
        Unsafe.Add(ref y0, 3) += Finish(a30, ref row3, ref x0, blocked, cols);
        Unsafe.Add(ref y0, rows) += Finish(a01, ref row0, ref x1, blocked, cols);
        Unsafe.Add(ref y0, rows + 1) += Finish(a11, ref row1, ref x1, blocked, cols);
        Unsafe.Add(ref y0, rows + 2) += Finish(a21, ref row2, ref x1, blocked, cols);
        Unsafe.Add(ref y0, rows + 3) += Finish(a31, ref row3, ref x1, blocked, cols);
        Unsafe.Add(ref y0, 2 * rows) += Finish(a02, ref row0, ref x2, blocked, cols);
        Unsafe.Add(ref y0, 2 * rows + 1) += Finish(a12, ref row1, ref x2, blocked, cols);
        Unsafe.Add(ref y0, 2 * rows + 2) += Finish(a22, ref row2, ref x2, blocked, cols);
        Unsafe.Add(ref y0, 2 * rows + 3) += Finish(a32, ref row3, ref x2, blocked, cols);
        Unsafe.Add(ref y0, 3 * rows) += Finish(a03, ref row0, ref x3, blocked, cols);
        Unsafe.Add(ref y0, 3 * rows + 1) += Finish(a13, ref row1, ref x3, blocked, cols);
        Unsafe.Add(ref y0, 3 * rows + 2) += Finish(a23, ref row2, ref x3, blocked, cols);
        Unsafe.Add(ref y0, 3 * rows + 3) += Finish(a33, ref row3, ref x3, blocked, cols);
    }

    /// <summary>One row times one vector in the portable order (see above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowDotPortable(ref float row, ref float x0, int cols)
    {
        var blocked = cols & ~15;
        Vector128<float> a01, a23; // (a0 + a1) and (a2 + a3)
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512<float>.Zero;
            for (var c = 0; c < blocked; c += 16)
                a = Vector512.Add(a, Vector512.Multiply(Vector512.LoadUnsafe(ref row, (nuint)c), Vector512.LoadUnsafe(ref x0, (nuint)c)));
            return Finish(a, ref row, ref x0, blocked, cols);
        }
        if (Vector256.IsHardwareAccelerated)
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
        return Finish(a01, a23, ref row, ref x0, blocked, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> a, ref float row, ref float x0, int blocked, int cols)
    {
        var (low, high) = (a.GetLower(), a.GetUpper());
        return Finish(Vector128.Add(low.GetLower(), low.GetUpper()), Vector128.Add(high.GetLower(), high.GetUpper()), ref row, ref x0, blocked, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector128<float> a01, Vector128<float> a23, ref float row, ref float x0, int blocked, int cols)
    {
        var a4 = Vector128.Add(a01, a23);
        var sum = (a4.GetElement(0) + a4.GetElement(1)) + (a4.GetElement(2) + a4.GetElement(3));
        for (var c = blocked; c < cols; c++) sum += Unsafe.Add(ref row, c) * Unsafe.Add(ref x0, c);
        return sum;
    }
}
