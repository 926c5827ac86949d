using System.Collections;
using System.IO.Compression;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Training.Checkpoints;
using static CharRnn.Training.Tests.HandMadeTorchFile;

namespace CharRnn.Training.Tests;

/// <summary>
/// Every size a notebook checkpoint's pickle declares is checked against the bytes present before a weight is read:
/// hand-made files say what they like, and are refused with a sentence, without the memory they ask for.
/// </summary>
public class NotebookCheckpointSizeTests
{
    private static readonly string[] TwoTokens = ["a", "b"];

    /// <summary>Every weight of a layers×hidden model over <paramref name="vocab"/> characters, contiguous, over storage "0".</summary>
    private static IEnumerable<Weight> AllOver(string key, long hidden, long layers, int vocab, Func<long[], long[]>? stride = null)
    {
        var config = new ModelConfig((int)hidden, (int)layers, 0.5, vocab);
        foreach (var name in Checkpoint.ParameterNames((int)layers))
        {
            var shape = Checkpoint.ExpectedShape(name, config).Select(d => (long)d).ToArray();
            yield return new Weight(name, key, shape, stride?.Invoke(shape) ?? (shape.Length == 2 ? [shape[1], 1] : [1]));
        }
    }

    private static Checkpoint Read(byte[] file) => NotebookCheckpoint.Read(new MemoryStream(file));

    private static string[] Tokens(int count) => Enumerable.Range(0, count).Select(i => ((char)('!' + i)).ToString()).ToArray();

    [Fact]
    public void A_hand_made_file_with_strides_offsets_and_doubles_reads_as_pytorch_would_view_it()
    {
        Weight[] weights =
        [
            new("lstm.weight_ih_l0", "0", [4, 2], [1, 4]),    // the transpose of a 2×4 row-major block
            new("lstm.weight_hh_l0", "1", [4, 1], [1, 1]),    // doubles
            new("lstm.bias_ih_l0", "2", [4], [0]),            // one value broadcast by a zero stride
            new("lstm.bias_hh_l0", "0", [4], [1], Offset: 2), // a window into the first storage
            new("fc.weight", "1", [2, 1], [1, 1], Offset: 1),
            new("fc.bias", "2", [2], [0]),
        ];
        Storage[] storages =
        [
            new("0", "FloatStorage", 8, Floats(0, 1, 2, 3, 4, 5, 6, 7)),
            new("1", "DoubleStorage", 4, Doubles(0.25, -1.5, 8, 1e-3)),
            new("2", "FloatStorage", 1, Floats(0.5f)),
        ];

        var checkpoint = Read(Notebook(hidden: 1, layers: 1, TwoTokens, weights, storages));

        Assert.Equal(new ModelConfig(1, 1, NotebookCheckpoint.AssumedDropout, 2), checkpoint.Config);
        Assert.Equal([0f, 4, 1, 5, 2, 6, 3, 7], checkpoint.Tensors["lstm.weight_ih_l0"].Values);
        Assert.Equal([0.25f, -1.5f, 8, 1e-3f], checkpoint.Tensors["lstm.weight_hh_l0"].Values);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], checkpoint.Tensors["lstm.bias_ih_l0"].Values);
        Assert.Equal([2f, 3, 4, 5], checkpoint.Tensors["lstm.bias_hh_l0"].Values);
        Assert.Equal([-1.5f, 8], checkpoint.Tensors["fc.weight"].Values);
        Assert.Equal([2, 1], checkpoint.Tensors["fc.weight"].Shape);
    }

    [Fact]
    public void A_file_written_by_pytorch_itself_is_read_without_pybridge()
    {
        using var archive = ZipFile.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch-save-state-dict.pth"));

        var stateDict = Assert.IsAssignableFrom<Hashtable>(TorchPickle.Load(archive));

        var first = Assert.IsType<TorchTensorRef>(stateDict["lin1.weight"]);
        var second = Assert.IsType<TorchTensorRef>(stateDict["lin2.weight"]);
        Assert.Equal([1L, 5], first.Shape);
        Assert.Equal([2L, 1], second.Shape);
        Assert.Equal(Enumerable.Repeat(1f, 5), first.ReadFloats());
        Assert.Equal([1f, 1f], second.ReadFloats());
        Assert.Equal(2, stateDict.Count); // the OrderedDict's _metadata is not a weight
    }

    [Fact]
    public void Weights_declared_far_larger_than_their_bytes_are_refused_before_anything_is_allocated()
    {
        // A 2×4096 model over 83 characters asks for 537 MB of floats; the file holds 16 bytes of weights.
        var file = Notebook(4096, 2, Tokens(83), AllOver("0", 4096, 2, 83), [new("0", "FloatStorage", 4, Floats(1, 2, 3, 4))]);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var error = Assert.Throws<CheckpointFormatException>(() => Read(file));

        Assert.Contains("reaches element 1,359,872 of a storage that holds 4", error.Message);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 20_000_000);
    }

    [Fact]
    public void A_storage_that_claims_more_elements_than_its_bytes_is_refused()
    {
        var file = Notebook(1, 1, TwoTokens, AllOver("0", 1, 1, 2), [new("0", "FloatStorage", 1_000_000_000, Floats(1, 2, 3, 4, 5, 6, 7, 8))]);

        var error = Assert.Throws<CheckpointFormatException>(() => Read(file));

        Assert.Equal("Storage '0' declares 1,000,000,000 elements of 4 bytes, but the archive holds 32 bytes for it: the file is damaged or hostile.", error.Message);
    }

    [Fact]
    public void Sizes_whose_product_overflows_and_negative_strides_are_refused()
    {
        var storage = new Storage("0", "FloatStorage", 8, Floats(1, 2, 3, 4, 5, 6, 7, 8));
        var huge = AllOver("0", 1, 1, 2).Select(w => w.Name == "lstm.weight_ih_l0" ? w with { Shape = [1L << 40, 1L << 40], Stride = [0, 0] } : w);
        var backwards = AllOver("0", 1, 1, 2).Select(w => w.Name == "fc.bias" ? w with { Stride = [-1], Offset = 1 } : w);

        var overflow = Assert.Throws<CheckpointFormatException>(() => Read(Notebook(1, 1, TwoTokens, huge, [storage])));
        var negative = Assert.Throws<CheckpointFormatException>(() => Read(Notebook(1, 1, TwoTokens, backwards, [storage])));

        Assert.EndsWith("declares more elements than any file can hold.", overflow.Message);
        Assert.EndsWith("has a negative size, stride or offset.", negative.Message);
    }

    [Fact]
    public void Views_that_repeat_one_small_storage_past_the_total_cap_are_refused_before_any_weight_is_read()
    {
        // Zero strides let 20 layers of 2048 units view one float: 2.6 GB of weights from 4 bytes.
        var file = Notebook(2048, 20, Tokens(83), AllOver("0", 2048, 20, 83, shape => new long[shape.Length]), [new("0", "FloatStorage", 1, Floats(1))]);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var error = Assert.Throws<CheckpointFormatException>(() => Read(file));

        Assert.StartsWith("The checkpoint's weights come to 2,621,956,428 bytes", error.Message);
        Assert.EndsWith($"the most this server reads is {NotebookCheckpoint.MaxExpandedBytes:N0}.", error.Message);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 20_000_000);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_or_a_missing_storage_is_named()
    {
        var wrong = AllOver("0", 1, 1, 2).Select(w => w.Name == "fc.weight" ? w with { Shape = [1, 2], Stride = [2, 1] } : w);
        var storage = new Storage("0", "FloatStorage", 8, Floats(1, 2, 3, 4, 5, 6, 7, 8));

        var shape = Assert.Throws<CheckpointFormatException>(() => Read(Notebook(1, 1, TwoTokens, wrong, [storage])));
        var missing = Assert.Throws<CheckpointFormatException>(() => Read(Notebook(1, 1, TwoTokens, AllOver("9", 1, 1, 2), [storage with { Key = "9", Written = false }])));

        Assert.Equal("The weight 'fc.weight' has shape [1, 2]; a 1×1 model with 2 characters needs [2, 1].", shape.Message);
        Assert.Equal("The pickle refers to storage '9', which the archive does not hold.", missing.Message);
    }
}
