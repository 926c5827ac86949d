using System.Buffers.Binary;
using System.Text;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Inference.Tests;

public class CheckpointFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Serialise(Checkpoint checkpoint)
    {
        using var stream = new MemoryStream();
        CheckpointFile.Write(stream, checkpoint);
        return stream.ToArray();
    }

    [Fact]
    public void A_written_checkpoint_reads_back_with_weights_vocabulary_and_metadata()
    {
        var original = RandomCheckpoints.Create("Привет, мир! 😀", hidden: 8, layers: 2);
        var path = Path.Combine(_folder, "a.safetensors");
        CheckpointFile.Write(path, original);

        var copy = CheckpointFile.Read(path);

        Assert.Equal(original.Config, copy.Config);
        Assert.Equal(original.Vocabulary.Tokens, copy.Vocabulary.Tokens);
        Assert.Equal(original.Training!.Step, copy.Training!.Step);
        Assert.Equal(original.Training.ValLoss, copy.Training.ValLoss);
        Assert.Equal(original.Created, copy.Created);
        foreach (var (name, tensor) in original.Tensors)
        {
            Assert.Equal(tensor.Shape, copy.Tensors[name].Shape);
            Assert.Equal(tensor.Values, copy.Tensors[name].Values);
        }
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void The_file_is_standard_safetensors_with_our_metadata()
    {
        var bytes = Serialise(RandomCheckpoints.Create("ab", hidden: 4, layers: 1));
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

        Assert.Equal(0, headerLength % 8);
        Assert.Contains("\"format\":\"charrnn/1\"", header);
        Assert.Contains("\"lstm.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[16,2],\"data_offsets\":[0,128]}", header);
        Assert.Contains("\"fc.bias\"", header);
        // 4 gates × 4 units: W_ih 16×2, W_hh 16×4, two biases of 16; fc 2×4 and 2.
        Assert.Equal(8 + headerLength + 4 * (32 + 64 + 16 + 16 + 8 + 2), bytes.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(100)]
    [InlineData(-10)]
    public void A_truncated_checkpoint_is_refused_with_a_reason(int keep)
    {
        var bytes = Serialise(RandomCheckpoints.Create("ab", hidden: 4, layers: 1));
        var cut = bytes.AsSpan(0, keep >= 0 ? keep : bytes.Length + keep).ToArray();
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(cut));
        Assert.Matches("too short|truncated", error.Message);
    }

    [Fact]
    public void Random_bytes_are_refused_as_not_a_checkpoint()
    {
        var junk = new byte[4096];
        new Random(3).NextBytes(junk);
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(junk));
        Assert.Contains("not a safetensors checkpoint", error.Message);
    }

    [Fact]
    public void A_damaged_header_is_refused_as_invalid_json()
    {
        var bytes = Serialise(RandomCheckpoints.Create("ab", hidden: 4, layers: 1));
        bytes[8] = (byte)'x';
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(bytes));
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void A_missing_weight_is_named()
    {
        var original = RandomCheckpoints.Create("ab", hidden: 4, layers: 2);
        var tensors = original.Tensors.Where(t => t.Key != "lstm.weight_hh_l1").ToDictionary();
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, new Dictionary<string, string>
        {
            ["format"] = "charrnn/1", ["vocab"] = original.Vocabulary.ToJson(),
            ["config"] = "{\"hidden\":4,\"layers\":2,\"dropout\":0.5,\"vocabSize\":2}",
        });
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(stream.ToArray()));
        Assert.Equal("The weight 'lstm.weight_hh_l1' is missing.", error.Message);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_named_with_both_shapes()
    {
        var original = RandomCheckpoints.Create("ab", hidden: 4, layers: 1);
        var tensors = original.Tensors.ToDictionary();
        tensors["fc.weight"] = new TensorData([4, 2], new float[8]);
        var broken = original with { Tensors = tensors };
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Write(new MemoryStream(), broken));
        Assert.Contains("'fc.weight' has shape [4, 2]", error.Message);
        Assert.Contains("needs [2, 4]", error.Message);
    }

    [Fact]
    public void A_safetensors_file_without_our_metadata_is_refused()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, new Dictionary<string, TensorData> { ["w"] = new([2], [1f, 2f]) }, new Dictionary<string, string>());
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(stream.ToArray()));
        Assert.Contains("without CharRnn metadata", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(Path.Combine(_folder, "nope.safetensors")));
        Assert.Contains("no checkpoint file", error.Message);
    }
}
