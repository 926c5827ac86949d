using System.Collections;
using System.IO.Compression;
using System.Numerics;
using CharRnn.Inference.Checkpoints;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace CharRnn.Training.Checkpoints;

/// <summary>
/// Reads the pickle (<c>data.pkl</c>) of a checkpoint written by <c>torch.save</c> with Razorvine's unpickler, giving
/// tensors as <see cref="TorchTensorRef"/>s: views whose declared sizes were checked against the bytes present, and
/// whose data is not read yet. TorchSharp.PyBridge's reader (still used to write) allocates <c>torch.empty(shape)</c>
/// from the pickle's claims before reading a byte, so a file of a few kilobytes could ask for gigabytes.
/// </summary>
public static class TorchPickle
{
    static TorchPickle()
    {
        // Razorvine's constructor table is process-wide: these replace PyBridge's, whose PyTorchUnpickler must not be
        // used in this process (it would put its own back).
        var tensor = new RebuildTensor();
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", tensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", tensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", new RebuildParameter());
        Unpickler.registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
    }

    /// <summary>The object <c>torch.save</c> pickled, dictionaries as <see cref="Hashtable"/>s and tuples as arrays.</summary>
    public static object Load(ZipArchive archive)
    {
        var pickle = archive.Entries.FirstOrDefault(e => e.Name == "data.pkl")
            ?? throw new CheckpointFormatException("The archive has no data.pkl: it was not written by torch.save.");
        var folder = pickle.FullName[..^pickle.Name.Length];
        if (archive.GetEntry(folder + "byteorder") is { } order)
        {
            using var reader = new StreamReader(order.Open());
            if (reader.ReadToEnd().Trim() != "little")
                throw new CheckpointFormatException("The checkpoint was saved on a big-endian machine; only little-endian checkpoints can be read.");
        }
        using var unpickler = new StorageUnpickler(archive, folder);
        using var stream = pickle.Open();
        return unpickler.load(stream);
    }

    /// <summary>Resolves <c>('storage', type, key, location, numel)</c> to its archive entry, checking its length.</summary>
    private sealed class StorageUnpickler(ZipArchive archive, string folder) : Unpickler
    {
        protected override object persistentLoad(object pid)
        {
            if (pid is not object[] { Length: >= 5 } id || id[0] as string != "storage" || id[1] is not ClassDictConstructor type || id[2] is not string key)
                throw new CheckpointFormatException("The pickle refers to data that is not a tensor storage.");
            var entry = archive.GetEntry($"{folder}data/{key}")
                ?? throw new CheckpointFormatException($"The pickle refers to storage '{key}', which the archive does not hold.");
            var size = ElementSize(type.name);
            var elements = ToLong(id[4], "storage size");
            if (elements < 0 || elements > entry.Length / size)
                throw new CheckpointFormatException($"Storage '{key}' declares {elements:N0} elements of {size} bytes, but the archive holds {entry.Length:N0} bytes for it: the file is damaged or hostile.");
            return new TorchStorage(key, entry, type.name, size, elements);
        }

        private static int ElementSize(string typeName) => typeName switch
        {
            "DoubleStorage" or "LongStorage" or "ComplexFloatStorage" => 8,
            "FloatStorage" or "IntStorage" => 4,
            "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
            "CharStorage" or "ByteStorage" or "BoolStorage" => 1,
            "ComplexDoubleStorage" => 16,
            _ => throw new CheckpointFormatException($"The pickle has a storage of type {typeName}, which is not one PyTorch writes for tensors."),
        };
    }

    /// <summary><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks, …)</c>.</summary>
    private sealed class RebuildTensor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 4 || args[0] is not TorchStorage storage || args[2] is not object[] shape || args[3] is not object[] stride)
                throw new CheckpointFormatException("The pickle rebuilds a tensor from something other than a storage, offset, shape and stride.");
            return new TorchTensorRef(storage, ToLong(args[1], "tensor offset"),
                shape.Select(d => ToLong(d, "tensor size")).ToArray(), stride.Select(s => ToLong(s, "tensor stride")).ToArray());
        }
    }

    /// <summary><c>torch._utils._rebuild_parameter(data, requires_grad, hooks)</c>: a parameter is its tensor here.</summary>
    private sealed class RebuildParameter : IObjectConstructor
    {
        public object construct(object[] args) =>
            args is [TorchTensorRef tensor, ..] ? tensor : throw new CheckpointFormatException("The pickle rebuilds a parameter from something other than a tensor.");
    }

    /// <summary>A state_dict pickles as an OrderedDict whose state is its <c>_metadata</c>, which is not needed.</summary>
    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new OrderedDict();
    }

    public sealed class OrderedDict : Hashtable
    {
        public void __setstate__(Hashtable state) { }
    }

    private static long ToLong(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        BigInteger => throw new CheckpointFormatException($"The pickle's {what} is larger than any file can hold."),
        _ => throw new CheckpointFormatException($"The pickle's {what} is not an integer."),
    };
}
