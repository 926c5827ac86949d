using System.Diagnostics;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;
using CharRnn.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Bench.Engine;

/// <summary>
/// The least a TorchSharp training loop can do for this model: forward, cross-entropy, backward, clip,
/// Adam step, state detached, one dispose scope per step. No events, no checkpoints, no evaluation.
/// The yardstick for the <see cref="Trainer"/>'s own overhead.
/// </summary>
internal static class BareTrainingLoop
{
    /// <summary>Characters per second over <paramref name="measured"/> steps after <paramref name="warmup"/> unmeasured ones.</summary>
    public static double Run(int[] encoded, int vocabSize, TrainingOptions o, int warmup, int measured)
    {
        torch.manual_seed(o.Seed ?? 1);
        using var model = new CharRnnModel(vocabSize, o.Hidden, o.Layers, o.Dropout);
        using var optimizer = optim.Adam(model.parameters(), o.LearningRate);
        model.train();
        var state = model.InitialState(o.BatchSize, CPU);
        var clock = new Stopwatch();
        var (inputs, targets) = (new long[o.BatchSize * o.SequenceLength], new long[o.BatchSize * o.SequenceLength]);
        var batches = CharBatches.Count(encoded.Length, o.BatchSize, o.SequenceLength);
        var step = 0;
        for (; step < Math.Min(batches, warmup + measured); step++)
        {
            if (step == warmup) clock.Start();
            CharBatches.Fill(encoded, o.BatchSize, o.SequenceLength, step, inputs, targets);
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var (logits, next) = model.call(tensor(inputs, [o.BatchSize, o.SequenceLength]), state);
                var loss = nn.functional.cross_entropy(logits, tensor(targets));
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), o.GradientClip);
                optimizer.step();
                _ = loss.item<float>();
                state.H.Dispose();
                state.C.Dispose();
                state = (next.H.detach().MoveToOuterDisposeScope(), next.C.detach().MoveToOuterDisposeScope());
            }
        }
        clock.Stop();
        state.H.Dispose();
        state.C.Dispose();
        if (step < warmup + measured) throw new InvalidOperationException($"The text gives only {step} batches; the benchmark needs {warmup + measured}.");
        return (double)measured * o.BatchSize * o.SequenceLength / clock.Elapsed.TotalSeconds;
    }
}
