using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CharRnn.Inference.Checkpoints;

/// <summary>
/// The safetensors layout: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw little-endian tensor bytes. Only F32 is written or read.
/// Every length and offset is checked before use, so a damaged file fails with a sentence, not an index exception.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    public static void Write(Stream stream, IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (TensorData.ElementCount(tensor.Shape) != tensor.Values.Length)
                    throw new ArgumentException($"Tensor {name} has {tensor.Values.Length} values but shape {tensor.ShapeText}.");
                long end = offset + 4L * tensor.Values.Length;
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 so the data is aligned, as the reference writer does.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var tensor in tensors.Values) WriteFloats(stream, tensor.Values);
    }

    public static (Dictionary<string, TensorData> Tensors, Dictionary<string, string> Metadata) Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
            throw new CheckpointFormatException($"The file is {file.Length} bytes long, too short to be a checkpoint (it needs at least an 8-byte header length).");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
            throw new CheckpointFormatException($"The header length field says {headerLength} bytes, which no checkpoint has: the file is not a safetensors checkpoint or is damaged.");
        if ((ulong)file.Length - 8 < headerLength)
            throw new CheckpointFormatException($"The file is truncated: its header should be {headerLength} bytes but only {file.Length - 8} follow the length field.");

        var data = file[(8 + (int)headerLength)..];
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"The header is not valid JSON ({e.Message}): the file is damaged or not a checkpoint.", e);
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException("The header is not a JSON object: the file is damaged or not a checkpoint.");
            var tensors = new Dictionary<string, TensorData>();
            var metadata = new Dictionary<string, string>();
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object)
                        throw new CheckpointFormatException("The header's __metadata__ is not an object of strings.");
                    foreach (var item in entry.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                            ? item.Value.GetString()!
                            : throw new CheckpointFormatException($"Metadata entry '{item.Name}' is not a string.");
                    continue;
                }
                tensors[entry.Name] = ReadTensor(entry.Name, entry.Value, data);
            }
            return (tensors, metadata);
        }
    }

    private static TensorData ReadTensor(string name, JsonElement spec, ReadOnlySpan<byte> data)
    {
        try
        {
            var dtype = spec.GetProperty("dtype").GetString();
            if (dtype != "F32")
                throw new CheckpointFormatException($"Tensor '{name}' has dtype {dtype}; only F32 checkpoints are supported.");
            var shape = spec.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var offsets = spec.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new CheckpointFormatException($"Tensor '{name}' has an invalid shape or byte range in the header.");
            var count = TensorData.ElementCount(shape);
            if (offsets[1] - offsets[0] != 4 * count)
                throw new CheckpointFormatException($"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({count} floats) but {offsets[1] - offsets[0]} bytes in the header.");
            if (offsets[1] > data.Length)
                throw new CheckpointFormatException($"The file is truncated: tensor '{name}' needs bytes up to {offsets[1]} of the data section, which has only {data.Length}.");
            var values = new float[count];
            var bytes = data[(int)offsets[0]..(int)offsets[1]];
            if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            else for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            return new TensorData(shape, values);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CheckpointFormatException($"Tensor '{name}' has an incomplete entry in the header ({e.Message}).", e);
        }
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        var buffer = new byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }
}
