using System.Diagnostics;
using System.Runtime.Intrinsics;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnn.Bench.Engine;

/// <summary>Sampling one character at a time: our engine against TorchSharp's nn.LSTM stepped with sequence length 1.</summary>
internal static class SamplingBench
{
    public sealed record Result(MatVecKernel Kernel, double Engine, double EngineBFloat16, double EngineVector256, double EngineTensorPrimitives, double Torch, int TorchThreads, double ReadGBps, long WeightBytes)
    {
        /// <summary>The most characters/s one core could sample if each step only streamed the weights once from memory.</summary>
        public double BandwidthCeiling => ReadGBps * 1e9 / WeightBytes;
    }

    public static Result Run(int hidden, int layers, int vocabSize, int engineChars, int torchChars, int torchThreads, Action<string> log)
    {
        var (model, checkpoint) = RandomModel.Create(hidden, layers, vocabSize);
        using var disposeModel = model;
        var vocabulary = checkpoint.Vocabulary;
        var weights = new LstmWeights(checkpoint);
        var options = new SampleOptions(vocabulary[0], engineChars, 1.0, TopK: 5, Seed: 1);

        double Engine(MatVecKernel kernel, LstmWeights? precision = null)
        {
            var sampler = new Sampler(precision ?? weights, kernel);
            // Warm up long enough for the JIT's tiering to finish compiling the optimised kernel.
            _ = sampler.Generate(options with { Length = 2000 }).Count();
            Thread.Sleep(300);
            _ = sampler.Generate(options with { Length = 1000 }).Count();
            var clock = Stopwatch.StartNew();
            var count = sampler.Generate(options).Count();
            return count / clock.Elapsed.TotalSeconds;
        }

        var kernel = new LstmEngine(weights).Kernel;
        log($"engine ({kernel}, the default: the same bits everywhere, the browser included), one thread: {engineChars:N0} characters…");
        var engine = Engine(kernel);
        log($"  {engine:N0} chars/s");
        log("engine with bfloat16 weights (opt-in), one thread…");
        var engineBFloat16 = Engine(kernel, new LstmWeights(checkpoint, WeightPrecision.BFloat16));
        log($"  {engineBFloat16:N0} chars/s");
        log($"engine ({MatVecKernel.Vector256}, fused multiply-adds: faster, other rounding), one thread…");
        var engine256 = Engine(MatVecKernel.Vector256);
        log($"  {engine256:N0} chars/s");
        log($"engine ({MatVecKernel.TensorPrimitives}), one thread…");
        var enginePrimitives = Engine(MatVecKernel.TensorPrimitives);
        log($"  {enginePrimitives:N0} chars/s");
        var weightBytes = weights.StreamedBytesPerStep;
        var readGBps = StreamingReadGBps(weightBytes);
        log($"one core streams a {weightBytes / 1e6:N1} MB array at {readGBps:N1} GB/s");

        log($"TorchSharp nn.LSTM stepped, {torchThreads} thread(s): {torchChars:N0} characters…");
        var torchRate = TorchStepped(model, vocabSize, torchChars, torchThreads);
        log($"  {torchRate:N0} chars/s");
        return new Result(kernel, engine, engineBFloat16, engine256, enginePrimitives, torchRate, torchThreads, readGBps, weightBytes);
    }

    /// <summary>The notebook's predict(): one character through the model, softmax, top-k, a draw.</summary>
    private static double TorchStepped(CharRnnModel model, int vocabSize, int characters, int threads)
    {
        var previousThreads = torch.get_num_threads();
        torch.set_num_threads(threads);
        model.eval();
        using var noGrad = no_grad();
        var generator = new torch.Generator(1);
        var state = model.InitialState(1, CPU);
        long token = 0;
        var clock = new Stopwatch();
        for (var i = 0; i < characters + 20; i++)
        {
            if (i == 20) clock.Start(); // 20 warm-up steps
            using var scope = NewDisposeScope();
            var (logits, next) = model.call(tensor(new[] { token }, [1, 1]), state);
            var (top, indices) = torch.topk(nn.functional.softmax(logits, 1), 5);
            var choice = torch.multinomial(top / top.sum(), 1, generator: generator);
            token = indices[0, choice[0, 0].item<long>()].item<long>();
            state.H.Dispose();
            state.C.Dispose();
            state = (next.H.MoveToOuterDisposeScope(), next.C.MoveToOuterDisposeScope());
        }
        clock.Stop();
        torch.set_num_threads(previousThreads);
        return characters / clock.Elapsed.TotalSeconds;
    }

    /// <summary>How fast one core reads an array the size of the weights, over and over: the ceiling for a step that must read them all.</summary>
    private static double StreamingReadGBps(long bytes)
    {
        var values = new float[bytes / 4];
        Array.Fill(values, 1f);
        float sink = 0;
        for (var i = 0; i < 5; i++) sink += Sum(values);
        var reps = 200;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < reps; i++) sink += Sum(values);
        GC.KeepAlive(sink);
        return reps * (double)bytes / clock.Elapsed.TotalSeconds / 1e9;
    }

    // Eight independent 256-bit accumulators: bound by the loads, as the engine's kernel is.
    private static float Sum(float[] values)
    {
        var v = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector256<float>>(values.AsSpan());
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        var i = 0;
        for (; i + 8 <= v.Length; i += 8)
        {
            a0 += v[i]; a1 += v[i + 1]; a2 += v[i + 2]; a3 += v[i + 3];
            a4 += v[i + 4]; a5 += v[i + 5]; a6 += v[i + 6]; a7 += v[i + 7];
        }
        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }
}
