using System.Buffers.Binary;
using System.IO.Compression;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Training.Checkpoints;

/// <summary>
/// One storage of a PyTorch zip checkpoint: the archive entry <c>data/KEY</c> holding <see cref="Elements"/> raw
/// little-endian elements. Built only after the pickle's element count was checked against the entry's real length.
/// </summary>
public sealed record TorchStorage(string Key, ZipArchiveEntry Entry, string TypeName, int ElementSize, long Elements);

/// <summary>
/// A tensor as a PyTorch pickle describes it: a view (offset, shape, stride) into a storage. Every number comes from
/// the file, so each is checked, in checked arithmetic, against the bytes actually present when the reference is made;
/// nothing is allocated until <see cref="ReadFloats"/>, and then only what the view covers.
/// </summary>
public sealed class TorchTensorRef
{
    public TorchStorage Storage { get; }
    public long Offset { get; }
    public IReadOnlyList<long> Shape { get; }
    public IReadOnlyList<long> Stride { get; }
    public long ElementCount { get; }

    /// <summary>One past the last storage element the view touches (0 for an empty tensor).</summary>
    private readonly long _end;

    public TorchTensorRef(TorchStorage storage, long offset, long[] shape, long[] stride)
    {
        Storage = storage;
        Offset = offset;
        Shape = shape;
        Stride = stride;
        var described = $"The tensor [{string.Join(", ", shape)}] (stride [{string.Join(", ", stride)}], offset {offset}) over storage '{storage.Key}'";
        if (shape.Length != stride.Length)
            throw new CheckpointFormatException($"{described} has {shape.Length} sizes but {stride.Length} strides.");
        if (offset < 0 || shape.Any(d => d < 0) || stride.Any(s => s < 0))
            throw new CheckpointFormatException($"{described} has a negative size, stride or offset.");
        try
        {
            long count = 1, last = offset;
            for (var d = 0; d < shape.Length; d++)
            {
                count = checked(count * shape[d]);
                if (shape[d] > 0) last = checked(last + (shape[d] - 1) * stride[d]);
            }
            ElementCount = count;
            _end = count == 0 ? 0 : checked(last + 1);
        }
        catch (OverflowException)
        {
            throw new CheckpointFormatException($"{described} declares more elements than any file can hold.");
        }
        if (_end > storage.Elements)
            throw new CheckpointFormatException($"{described} reaches element {_end:N0} of a storage that holds {storage.Elements:N0}: the file is damaged or hostile.");
    }

    /// <summary>The tensor's values in row-major order, converted to float from float, double, half or bfloat16.</summary>
    public float[] ReadFloats()
    {
        var read = ElementReader(Storage.TypeName);
        var size = Storage.ElementSize;
        var bytes = new byte[_end * size]; // ≤ the entry's length, which the archive's bound already limits
        using (var stream = Storage.Entry.Open()) stream.ReadExactly(bytes);

        var values = new float[ElementCount];
        if (values.Length == 0) return values;
        var rank = Shape.Count;
        var index = new long[rank];
        var position = Offset;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.AsSpan((int)(position * size), size));
            // Advance the row-major odometer, moving through the storage by each dimension's stride.
            for (var d = rank - 1; d >= 0; d--)
            {
                position += Stride[d];
                if (++index[d] < Shape[d]) break;
                position -= Stride[d] * Shape[d];
                index[d] = 0;
            }
        }
        return values;
    }

    private delegate float ReadElement(ReadOnlySpan<byte> bytes);

    private static ReadElement ElementReader(string typeName) => typeName switch
    {
        "FloatStorage" => BinaryPrimitives.ReadSingleLittleEndian,
        "DoubleStorage" => b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b),
        "HalfStorage" => b => (float)BinaryPrimitives.ReadHalfLittleEndian(b),
        "BFloat16Storage" => b => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),
        _ => throw new CheckpointFormatException($"The weights are stored as {typeName}; only float, double, half and bfloat16 weights can be read."),
    };
}
