using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;
using CharRnn.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Training.Tests.Model;

/// <summary>
/// float32 training keeps its bits: whatever the bfloat16 path or the step's timing does, a float32 run's weights are,
/// bit for bit, those of the notebook's loop written plainly in TorchSharp (Adam, cross-entropy, clipping, the state
/// carried and detached), from the same seed on the same batches.
/// </summary>
public class Float32ParityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-parity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_float32_runs_weights_are_the_plain_loops_bit_for_bit()
    {
        var options = TinyRun.Small with { Epochs = 1, EvaluateEvery = 1000, Dropout = 0.2, GradientClip = 0.5, Device = DeviceChoice.Cpu }; // clipping at work
        var result = new Trainer(TinyRun.Text, options, _folder).Run();
        var trained = CheckpointFile.Read(result.LastCheckpoint!).Tensors;

        var plain = PlainLoop(options);

        Assert.Equal(plain.Keys.Order(), trained.Keys.Order());
        foreach (var (name, values) in plain) Assert.True(values.SequenceEqual(trained[name].Values), $"{name} differs");
    }

    /// <summary>The notebook's loop over the text's training part, one epoch, with nothing of the app's step in it.</summary>
    private static Dictionary<string, float[]> PlainLoop(TrainingOptions options)
    {
        torch.set_num_threads(options.Threads!.Value);
        torch.manual_seed(options.Seed!.Value);
        var vocabulary = Vocabulary.FromText(TinyRun.Text);
        using var model = new CharRnnModel(vocabulary.Count, options.Hidden, options.Layers, options.Dropout);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var (train, _) = CharBatches.Split(vocabulary.Encode(TinyRun.Text), options);
        var (h, c) = model.InitialState(options.BatchSize, CPU);
        foreach (var (inputs, targets) in CharBatches.Enumerate(train, options.BatchSize, options.SequenceLength))
        {
            using var scope = NewDisposeScope();
            model.train();
            optimizer.zero_grad();
            var (logits, next) = model.call(tensor(inputs, [options.BatchSize, options.SequenceLength]), (h, c));
            var loss = nn.functional.cross_entropy(logits, tensor(targets));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
            optimizer.step();
            (h, c) = (next.H.detach().MoveToOuterDisposeScope(), next.C.detach().MoveToOuterDisposeScope());
        }
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }
}
