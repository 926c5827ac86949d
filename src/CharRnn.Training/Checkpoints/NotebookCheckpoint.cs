using System.Collections;
using System.IO.Compression;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CharRnn.Training.Checkpoints;

/// <summary>
/// The PyTorch notebook's checkpoint: <c>torch.save({'n_hidden', 'n_layers', 'state_dict', 'tokens'})</c>
/// in PyTorch's zip format. <see cref="TorchPickle"/> reads it, checking every size the file declares before reading
/// a weight; TorchSharp.PyBridge writes it. This class maps it to ours.
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
        using var bounded = Bounded(stream);
        using var archive = new ZipArchive(bounded, ZipArchiveMode.Read);
        object pickled;
        try
        {
            pickled = TorchPickle.Load(archive);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or CheckpointFormatException))
        {
            // Razorvine wraps what a constructor throws in some opcodes; the innermost sentence of ours is the reason.
            if (Inner<CheckpointFormatException>(e) is { } reason) throw reason;
            throw new CheckpointFormatException($"The file is not a PyTorch checkpoint that can be read here: {e.Message}", e);
        }
        if (pickled is not Hashtable root)
            throw new CheckpointFormatException("The checkpoint is not a dictionary: it is not the notebook's format ({'n_hidden', 'n_layers', 'state_dict', 'tokens'}); a whole pickled model cannot be read, save its state_dict.");

        var hidden = ReadInt(root, "n_hidden");
        var layers = ReadInt(root, "n_layers");
        if (root["tokens"] is not IEnumerable tokens || tokens is string)
            throw new CheckpointFormatException("The checkpoint has no 'tokens' list: it is not the notebook's format ({'n_hidden', 'n_layers', 'state_dict', 'tokens'}).");
        if (root["state_dict"] is not Hashtable stateDict)
            throw new CheckpointFormatException("The checkpoint has no 'state_dict': it is not the notebook's format ({'n_hidden', 'n_layers', 'state_dict', 'tokens'}).");

        Vocabulary vocabulary;
        try { vocabulary = new Vocabulary(tokens.Cast<object>().Select(t => t?.ToString() ?? "")); }
        catch (ArgumentException e) { throw new CheckpointFormatException($"The checkpoint's tokens are not one character each: {e.Message}", e); }
        var config = new ModelConfig(hidden, layers, AssumedDropout, vocabulary.Count);

        // Every weight's shape and the total are checked before any weight is read.
        var weights = Checkpoint.ParameterNames(layers).ToDictionary(name => name, name => Weight(stateDict, name, config));
        var total = weights.Values.Aggregate(0L, (sum, w) => sum + w.ElementCount * sizeof(float));
        if (total > MaxExpandedBytes)
            throw new CheckpointFormatException($"The checkpoint's weights come to {total:N0} bytes as floats; the most this server reads is {MaxExpandedBytes:N0}.");

        var tensors = weights.ToDictionary(w => w.Key, w => new TensorData(w.Value.Shape.Select(d => (int)d).ToArray(), w.Value.ReadFloats()));
        var checkpoint = new Checkpoint(config, vocabulary, tensors, null, DateTimeOffset.UtcNow);
        checkpoint.Validate();
        return checkpoint;
    }

    private static TorchTensorRef Weight(Hashtable stateDict, string name, ModelConfig config)
    {
        if (stateDict[name] is not TorchTensorRef weight)
            throw new CheckpointFormatException($"The weight '{name}' is missing.");
        var expected = Checkpoint.ExpectedShape(name, config);
        if (!weight.Shape.SequenceEqual(expected.Select(d => (long)d)))
            throw new CheckpointFormatException($"The weight '{name}' has shape [{string.Join(", ", weight.Shape)}]; a {config.Layers}×{config.Hidden} model with {config.VocabSize} characters needs [{string.Join(", ", expected)}].");
        return weight;
    }

    private static T? Inner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
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

    /// <summary>A positive integer small enough that 4 × it (the gates) cannot wrap.</summary>
    private static int ReadInt(Hashtable root, string key)
    {
        var raw = root[key];
        if (raw is not (int or long))
            throw new CheckpointFormatException($"The checkpoint has no integer '{key}': it is not the notebook's format ({{'n_hidden', 'n_layers', 'state_dict', 'tokens'}}).");
        var value = Convert.ToInt64(raw);
        return value is > 0 and <= int.MaxValue / 4
            ? (int)value
            : throw new CheckpointFormatException($"The checkpoint's '{key}' is {value}; it must be a positive number of a sensible size.");
    }
}
