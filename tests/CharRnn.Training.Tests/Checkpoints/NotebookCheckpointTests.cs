using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Model;
using TorchSharp;

namespace CharRnn.Training.Tests;

public class NotebookCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-nb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_notebook_checkpoint_written_and_read_back_gives_a_model_with_the_same_logits()
    {
        torch.manual_seed(11);
        // The notebook's tokens come from a Python set: unsorted. Their order must survive.
        var vocabulary = new Vocabulary(["q", "\n", "a", "Ж", " ", "z", "😀", "."]);
        using var model = new CharRnnModel(vocabulary.Count, hidden: 24, layers: 2, dropoutRate: 0.5);
        var checkpoint = new Checkpoint(new ModelConfig(24, 2, 0.5, vocabulary.Count), vocabulary, ModelWeights.Export(model), null, DateTimeOffset.UtcNow);
        var path = Path.Combine(_folder, "rnn_x_epoch.net");

        NotebookCheckpoint.Write(path, checkpoint);
        var imported = NotebookCheckpoint.Read(path);

        Assert.Equal(vocabulary.Tokens, imported.Vocabulary.Tokens);
        Assert.Equal(new ModelConfig(24, 2, NotebookCheckpoint.AssumedDropout, vocabulary.Count), imported.Config);
        using var reloaded = ModelWeights.FromCheckpoint(imported);
        var tokens = vocabulary.Encode("qa Жz😀.\nq");
        Assert.Equal(ModelParityTests.TorchLogits(model, tokens), ModelParityTests.TorchLogits(reloaded, tokens));
        // And the engine samples from it just as well.
        Assert.InRange(ModelParityTests.MaxDifference(ModelParityTests.TorchLogits(model, tokens), new LstmEngine(new LstmWeights(imported)), tokens), 0, 1e-5);
    }

    [Fact]
    public void The_file_is_a_pytorch_zip_with_the_notebooks_keys()
    {
        using var model = new CharRnnModel(3, 4, 1, 0.5);
        var checkpoint = new Checkpoint(new ModelConfig(4, 1, 0.5, 3), new Vocabulary(["a", "b", "c"]), ModelWeights.Export(model), null, DateTimeOffset.UtcNow);
        var path = Path.Combine(_folder, "x.net");
        NotebookCheckpoint.Write(path, checkpoint);

        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        var pickle = zip.Entries.Single(e => e.FullName.EndsWith("data.pkl"));
        using var reader = new StreamReader(pickle.Open(), System.Text.Encoding.Latin1);
        var text = reader.ReadToEnd();
        foreach (var key in new[] { "n_hidden", "n_layers", "state_dict", "tokens", "lstm.weight_ih_l0", "fc.bias" })
            Assert.Contains(key, text);
    }

    [Fact]
    public void A_file_that_is_not_a_pytorch_checkpoint_is_refused_clearly()
    {
        var path = Path.Combine(_folder, "bad.net");
        File.WriteAllText(path, "this is not a checkpoint");
        var error = Assert.Throws<CheckpointFormatException>(() => NotebookCheckpoint.Read(path));
        Assert.StartsWith("The file is not a PyTorch checkpoint", error.Message);
    }
}
