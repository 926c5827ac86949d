using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Training.Loop;

/// <summary>
/// The notebook's validation loss: the mean loss over validation batches in text order, the hidden state carried
/// across them, dropout off. The trainer's evaluations and a checkpoint measured on another book both read it here, so
/// a fine-tune's "before" and its curve are the same figure.
/// </summary>
public static class ValidationPass
{
    /// <summary>The loss over <paramref name="windows"/> of <paramref name="tokens"/> in batches of <paramref name="options"/>; leaves the model training.</summary>
    internal static double Loss(CharRnnModel model, ReadOnlyMemory<int> tokens, TrainingOptions options, Device device, int[] windows)
    {
        int b = options.BatchSize, s = options.SequenceLength;
        var state = model.InitialState(b, device);
        double total = 0;
        var (inputs, targets) = (new long[b * s], new long[b * s]);
        foreach (var window in windows)
        {
            CharBatches.Fill(tokens.Span, b, s, window, inputs, targets);
            total += TrainingSteps.Validate(model, inputs, targets, b, device, ref state);
        }
        TrainingSteps.DisposeState(state);
        model.train();
        return total / windows.Length;
    }

    /// <summary>
    /// <paramref name="checkpoint"/>'s loss on another book's whole validation split (built in the checkpoint's own
    /// alphabet), in <paramref name="options"/>' batches, on the CPU.
    /// </summary>
    public static double Loss(Checkpoint checkpoint, OtherBookSplit split, TrainingOptions options)
    {
        using var scope = NewDisposeScope();
        using var model = ModelWeights.FromCheckpoint(checkpoint);
        return Loss(model, split.Validation, options, CPU, split.Windows(options));
    }
}
