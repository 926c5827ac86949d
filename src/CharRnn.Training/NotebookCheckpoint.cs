using System.Collections;
using System.IO.Compression;
using CharRnn.Inference;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CharRnn.Training;

/// <summary>
/// The PyTorch notebook's checkpoint: <c>torch.save({'n_hidden', 'n_layers', 'state_dict', 'tokens'})</c>
/// in PyTorch's zip format. TorchSharp.PyBridge reads and writes the pickle; this class maps it to ours.
/// </summary>
public static class NotebookCheckpoint
{
    /// <summary>The notebook does not save its dropout; it used 0.5, which only matters for further training.</summary>
    public const double AssumedDropout = 0.5;

    public static Checkpoint Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>
    /// The most a checkpoint may expand to: the whole archive, uncompressed. A 2×2048 model (the server's default limit)
    /// over 4,096 characters is about 270 MB; a file that claims or expands to more is refused before it is read.
    /// </summary>
    public const long MaxExpandedBytes = 512L * 1024 * 1024;

    public static Checkpoint Read(Stream stream)
    {
        using var archive = Bounded(stream);
        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(archive, leaveOpen: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointFormatException($"The file is not a PyTorch checkpoint that can be read here: {e.Message}", e);
        }

        var hidden = ReadInt(root, "n_hidden");
        var layers = ReadInt(root, "n_layers");
        if (root["tokens"] is not IEnumerable tokens || tokens is string)
            throw new CheckpointFormatException("The checkpoint has no 'tokens' list: it is not the notebook's format ({'n_hidden', 'n_layers', 'state_dict', 'tokens'}).");
        if (root["state_dict"] is not Hashtable stateDict)
            throw new CheckpointFormatException("The checkpoint has no 'state_dict': it is not the notebook's format ({'n_hidden', 'n_layers', 'state_dict', 'tokens'}).");

        Vocabulary vocabulary;
        try { vocabulary = new Vocabulary(tokens.Cast<object>().Select(t => t?.ToString() ?? "")); }
        catch (ArgumentException e) { throw new CheckpointFormatException($"The checkpoint's tokens are not one character each: {e.Message}", e); }

        var tensors = new Dictionary<string, TensorData>();
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Value is not Tensor t) continue;
            using var values = t.to(float32).contiguous();
            tensors[(string)entry.Key] = new TensorData(values.shape.Select(d => (int)d).ToArray(), values.data<float>().ToArray());
            t.Dispose();
        }

        var checkpoint = new Checkpoint(new ModelConfig(hidden, layers, AssumedDropout, vocabulary.Count), vocabulary, tensors, null, DateTimeOffset.UtcNow);
        checkpoint.Validate();
        return checkpoint;
    }

    /// <summary>
    /// The archive re-packed uncompressed after counting every byte it expands to, so a deflate bomb (a small file that
    /// expands to gigabytes) or an entry longer than it declares is refused with a sentence, and the unpickler only ever
    /// sees bytes that were counted.
    /// </summary>
    private static MemoryStream Bounded(Stream stream)
    {
        var copy = new MemoryStream();
        try
        {
            using var source = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long declared = source.Entries.Sum(e => e.Length);
            if (declared > MaxExpandedBytes)
                throw new CheckpointFormatException($"The checkpoint says it expands to {declared:N0} bytes; the most this server reads is {MaxExpandedBytes:N0}.");
            using (var target = new ZipArchive(copy, ZipArchiveMode.Create, leaveOpen: true))
            {
                long total = 0;
                var buffer = new byte[81920];
                foreach (var entry in source.Entries)
                {
                    using var from = entry.Open();
                    using var to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                    long written = 0;
                    for (int read; (read = from.Read(buffer)) > 0;)
                    {
                        written += read;
                        total += read;
                        if (written > entry.Length || total > MaxExpandedBytes)
                            throw new CheckpointFormatException($"The checkpoint's entry {entry.FullName} expands past the {entry.Length:N0} bytes it declares (or past {MaxExpandedBytes:N0} in all): the file is damaged or hostile.");
                        to.Write(buffer, 0, read);
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            copy.Dispose();
            throw new CheckpointFormatException($"The file is not a PyTorch checkpoint (a zip archive, as torch.save writes since PyTorch 1.6): {e.Message}", e);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        copy.Position = 0;
        return copy;
    }

    public static void Write(string path, Checkpoint checkpoint)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) Write(stream, checkpoint);
        File.Move(temporary, path, overwrite: true);
    }

    public static void Write(Stream stream, Checkpoint checkpoint)
    {
        checkpoint.Validate();
        var stateDict = new Hashtable();
        var owned = new List<Tensor>();
        try
        {
            foreach (var name in Checkpoint.ParameterNames(checkpoint.Config.Layers))
            {
                var data = checkpoint.Tensors[name];
                var t = tensor(data.Values, data.Shape.Select(d => (long)d).ToArray());
                owned.Add(t);
                stateDict[name] = t;
            }
            var root = new Hashtable
            {
                ["n_hidden"] = checkpoint.Config.Hidden,
                ["n_layers"] = checkpoint.Config.Layers,
                ["state_dict"] = stateDict,
                ["tokens"] = checkpoint.Vocabulary.Tokens.Cast<object>().ToArray(), // a tuple, as the notebook saved it
            };
            PyTorchPickler.PickleStateDict(stream, root, leaveOpen: true);
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    private static int ReadInt(Hashtable root, string key) =>
        root[key] is { } value and (int or long)
            ? Convert.ToInt32(value)
            : throw new CheckpointFormatException($"The checkpoint has no integer '{key}': it is not the notebook's format ({{'n_hidden', 'n_layers', 'state_dict', 'tokens'}}).");
}
