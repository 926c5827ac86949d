using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CharRnn.Training.Tests;

/// <summary>
/// Writes a notebook checkpoint opcode by opcode, as <c>torch.save</c> lays it out (protocol 2 pickle in a zip), so a
/// test can make every number in it say what it likes: a shape larger than its storage, a storage that claims more
/// elements than its bytes, strides, other element types. Linked into the web tests as well.
/// </summary>
public sealed class HandMadeTorchFile
{
    /// <summary>One weight: a view over storage <paramref name="Key"/>.</summary>
    public sealed record Weight(string Name, string Key, long[] Shape, long[] Stride, long Offset = 0);

    /// <summary>One storage: its type name, the element count the pickle claims, and the bytes really stored (if written).</summary>
    public sealed record Storage(string Key, string TypeName, long DeclaredElements, byte[] Bytes, bool Written = true);

    private readonly MemoryStream _pickle = new();

    public static byte[] Notebook(long hidden, long layers, string[] tokens, IEnumerable<Weight> weights, IEnumerable<Storage> storages)
    {
        var file = new HandMadeTorchFile();
        var storageList = storages.ToList();
        file.Op(0x80).Op(2);                         // PROTO 2
        file.Op('}').Op('(');                        // EMPTY_DICT, MARK
        file.Text("n_hidden").Int(hidden);
        file.Text("n_layers").Int(layers);
        file.Text("state_dict").Global("collections", "OrderedDict").Op(')').Op('R').Op('(');
        foreach (var w in weights)
        {
            var storage = storageList.Single(s => s.Key == w.Key);
            file.Text(w.Name).Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            file.Op('(').Text("storage").Global("torch", storage.TypeName).Text(storage.Key).Text("cpu").Int(storage.DeclaredElements).Op('t').Op('Q');
            file.Int(w.Offset).Tuple(w.Shape).Tuple(w.Stride).Op(0x89);   // offset, size, stride, requires_grad=False
            file.Global("collections", "OrderedDict").Op(')').Op('R');   // backward hooks
            file.Op('t').Op('R');
        }
        file.Op('u');                                // SETITEMS of the state_dict
        file.Text("tokens").Op('(');
        foreach (var t in tokens) file.Text(t);
        file.Op('t');
        file.Op('u').Op('.');                        // SETITEMS of the root, STOP

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, "archive/data.pkl", file._pickle.ToArray());
            Add(archive, "archive/byteorder", "little"u8.ToArray());
            foreach (var s in storageList.Where(s => s.Written)) Add(archive, $"archive/data/{s.Key}", s.Bytes);
            Add(archive, "archive/version", "3\n"u8.ToArray());
        }
        return zip.ToArray();
    }

    /// <summary>The little-endian bytes of these floats, as a FloatStorage holds them.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    private static void Add(ZipArchive archive, string name, byte[] bytes)
    {
        using var entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
        entry.Write(bytes);
    }

    private HandMadeTorchFile Op(int code) { _pickle.WriteByte((byte)code); return this; }

    private HandMadeTorchFile Text(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Op('X');
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _pickle.Write(length);
        _pickle.Write(bytes);
        return this;
    }

    /// <summary>BININT for what fits in 32 bits, LONG1 (8 bytes) beyond.</summary>
    private HandMadeTorchFile Int(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op('J');
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            _pickle.Write(bytes[..4]);
        }
        else
        {
            Op(0x8a).Op(8);
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            _pickle.Write(bytes);
        }
        return this;
    }

    private HandMadeTorchFile Tuple(long[] values)
    {
        Op('(');
        foreach (var v in values) Int(v);
        return Op('t');
    }

    private HandMadeTorchFile Global(string module, string name)
    {
        Op('c');
        _pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        return this;
    }
}
