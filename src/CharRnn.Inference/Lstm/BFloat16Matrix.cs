using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// A row-major float matrix rounded to bfloat16 and packed two to a 32-bit word, laid out so that one
/// 256-bit load yields two float vectors with one mask and one shift: in each block of 16 columns, word k
/// holds column k in its high half and column k + 8 in its low half.
/// </summary>
internal sealed class BFloat16Matrix
{
    public const int Block = 16;

    public BFloat16Matrix(float[] values, int rows, int cols)
    {
        if (cols % Block != 0) throw new ArgumentException($"bfloat16 packing needs a multiple of {Block} columns, not {cols}.");
        Rows = rows;
        Cols = cols;
        Words = new uint[rows * cols / 2];
        for (var r = 0; r < rows; r++)
            for (var block = 0; block < cols; block += Block)
                for (var k = 0; k < Block / 2; k++)
                {
                    var high = Round(values[r * cols + block + k]);
                    var low = Round(values[r * cols + block + k + Block / 2]);
                    Words[(r * cols + block) / 2 + k] = (high << 16) | low;
                }
    }

    public int Rows { get; }
    public int Cols { get; }
    public uint[] Words { get; }

    /// <summary>Round to nearest, ties to even: the conversion PyTorch uses.</summary>
    public static uint Round(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16;
    }

    public static float Widen(uint bfloat16) => BitConverter.UInt32BitsToSingle(bfloat16 << 16);

    /// <summary>y += M·x, four rows at a time like the float32 kernel.</summary>
    public void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != Cols || y.Length != Rows) throw new ArgumentException($"A {Rows}×{Cols} product needs x of {Cols} and y of {Rows}.");
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(Words);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var wordsPerRow = Cols / 2;
        var mask = Vector256.Create(0xFFFF0000u);
        var r = 0;
        for (; r + 4 <= Rows; r += 4)
        {
            ref var row0 = ref Unsafe.Add(ref w0, r * wordsPerRow);
            ref var row1 = ref Unsafe.Add(ref row0, wordsPerRow);
            ref var row2 = ref Unsafe.Add(ref row1, wordsPerRow);
            ref var row3 = ref Unsafe.Add(ref row2, wordsPerRow);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0, word = 0; c < Cols; c += Block, word += Block / 2)
            {
                var xHigh = Vector256.LoadUnsafe(ref x0, (nuint)c);
                var xLow = Vector256.LoadUnsafe(ref x0, (nuint)(c + Block / 2));
                a0 = Accumulate(Vector256.LoadUnsafe(ref row0, (nuint)word), xHigh, xLow, mask, a0);
                a1 = Accumulate(Vector256.LoadUnsafe(ref row1, (nuint)word), xHigh, xLow, mask, a1);
                a2 = Accumulate(Vector256.LoadUnsafe(ref row2, (nuint)word), xHigh, xLow, mask, a2);
                a3 = Accumulate(Vector256.LoadUnsafe(ref row3, (nuint)word), xHigh, xLow, mask, a3);
            }
            y[r] += Vector256.Sum(a0);
            y[r + 1] += Vector256.Sum(a1);
            y[r + 2] += Vector256.Sum(a2);
            y[r + 3] += Vector256.Sum(a3);
        }
        for (; r < Rows; r++) y[r] += ScalarRow(r, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector256<uint> words, Vector256<float> xHigh, Vector256<float> xLow, Vector256<uint> mask, Vector256<float> sum)
    {
        sum = Vector256.FusedMultiplyAdd((words & mask).AsSingle(), xHigh, sum);
        return Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(words, 16).AsSingle(), xLow, sum);
    }

    private float ScalarRow(int r, ReadOnlySpan<float> x)
    {
        float sum = 0;
        for (var block = 0; block < Cols; block += Block)
            for (var k = 0; k < Block / 2; k++)
            {
                var word = Words[(r * Cols + block) / 2 + k];
                sum += Widen(word >> 16) * x[block + k] + Widen(word & 0xFFFF) * x[block + k + Block / 2];
            }
        return sum;
    }
}
