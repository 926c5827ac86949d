using System.Diagnostics;
using CharRnn.Training.Devices;
using CharRnn.Training.Model;
using CharRnn.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Loop;

/// <summary>What one model shape costs on this machine, in seconds, measured by <see cref="TrainingCost.Measure"/>.</summary>
/// <param name="TrainStep">One training step (forward, backward, clip, Adam) once warm.</param>
/// <param name="ValidationBatch">One validation batch (forward only, no gradients).</param>
/// <param name="FirstStepExtra">How much longer the first step takes than the others (libtorch primes its kernels).</param>
public sealed record StepCosts(double TrainStep, double ValidationBatch, double FirstStepExtra);

/// <summary>
/// Estimates how long a run takes by timing a few real steps of its exact shape (layers, hidden size,
/// alphabet, batch, sequence length, threads, device, precision) on random tokens. A rate scaled from another model
/// size misleads: a 2×256 model with batch 64 does less than half the work per multiply-accumulate that
/// the notebook's 2×512 model does on the same CPU, so one speed for all sizes was 2.6× optimistic.
/// </summary>
public static class TrainingCost
{
    private const int TimedTrainSteps = 3;
    private const int TimedValidationBatches = 3;

    /// <summary>Times a warm-up step, then <see cref="TimedTrainSteps"/> training steps and <see cref="TimedValidationBatches"/> validation batches.</summary>
    /// <remarks>Sets libtorch's thread count to <paramref name="threads"/>, as the run itself will; runs for a few seconds on the notebook's model.</remarks>
    public static StepCosts Measure(TrainingOptions options, int vocabularySize, int threads)
    {
        using var rig = new Rig(options, vocabularySize, threads);
        var first = Stopwatch.StartNew();
        rig.Step();
        var firstStep = first.Elapsed.TotalSeconds;

        var train = Stopwatch.StartNew();
        for (var i = 0; i < TimedTrainSteps; i++) rig.Step();
        var trainStep = train.Elapsed.TotalSeconds / TimedTrainSteps;

        rig.Validate(); // warms the no-gradient path
        var validation = Stopwatch.StartNew();
        for (var i = 0; i < TimedValidationBatches; i++) rig.Validate();
        return new StepCosts(trainStep, validation.Elapsed.TotalSeconds / TimedValidationBatches, Math.Max(0, firstStep - trainStep));
    }

    /// <summary>
    /// Where a step's time goes (<c>charrnn-bench roofline</c>): <paramref name="warmup"/> steps, then
    /// <paramref name="steps"/> timed part by part (<see cref="StepPhase"/>).
    /// </summary>
    public static StepTimer Profile(TrainingOptions options, int vocabularySize, int threads, int warmup, int steps)
    {
        using var rig = new Rig(options, vocabularySize, threads);
        var timer = new StepTimer();
        for (var i = 0; i < warmup; i++) rig.Step(timer);
        timer.Reset();
        for (var i = 0; i < steps; i++) rig.Step(timer);
        return timer;
    }

    /// <summary>A model of the run's shape with its optimizer and precision, stepped on random tokens.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly TrainingOptions _options;
        private readonly int _vocabularySize;
        private readonly Device _device;
        private readonly CharRnnModel _model;
        private readonly OptimizerHelper _optimizer;
        private readonly MixedPrecision _steps;
        private readonly Random _random = new(1);
        private readonly long[] _inputs, _targets;
        private (Tensor H, Tensor C) _state;
        private bool _validating;

        public Rig(TrainingOptions options, int vocabularySize, int threads)
        {
            torch.set_num_threads(threads);
            (_options, _vocabularySize) = (options, vocabularySize);
            var trainingDevice = TrainingDevices.Here(options.Device);
            _device = trainingDevice.Torch();
            torch.manual_seed(1);
            _model = new CharRnnModel(vocabularySize, options.Hidden, options.Layers, options.Dropout);
            _model.to(_device);
            _optimizer = optim.Adam(_model.parameters(), options.LearningRate);
            _steps = new MixedPrecision(_model, TrainingPrecisions.Here(options.Precision, trainingDevice), _device);
            (_inputs, _targets) = (new long[options.BatchSize * options.SequenceLength], new long[options.BatchSize * options.SequenceLength]);
            _state = _steps.InitialState(options.BatchSize, _device);
        }

        public void Step(StepTimer? timer = null)
        {
            NextBatch();
            TrainingSteps.Train(_steps, _optimizer, _inputs, _targets, _options.BatchSize, _options.GradientClip, _device, ref _state, timer);
        }

        /// <summary>One validation batch; validation reads the float32 model, whatever the steps compute in, so it carries a float32 state.</summary>
        public void Validate()
        {
            if (!_validating)
            {
                TrainingSteps.DisposeState(_state);
                _state = _model.InitialState(_options.BatchSize, _device);
                _validating = true;
            }
            NextBatch();
            TrainingSteps.Validate(_model, _inputs, _targets, _options.BatchSize, _device, ref _state);
        }

        private void NextBatch()
        {
            for (var i = 0; i < _inputs.Length; i++) (_inputs[i], _targets[i]) = (_random.Next(_vocabularySize), _random.Next(_vocabularySize));
        }

        public void Dispose()
        {
            TrainingSteps.DisposeState(_state);
            _steps.Dispose();
            _optimizer.Dispose();
            _model.Dispose();
            NativeMemory.Trim();
        }
    }

    /// <summary>How many times a run evaluates: every <see cref="TrainingOptions.EvaluateEvery"/> steps, at each epoch's end and after the last step.</summary>
    public static long Evaluations(TrainingOptions options, int textLength)
    {
        long total = options.TotalSteps(textLength), every = options.EvaluateEvery, epoch = options.StepsPerEpoch(textLength);
        if (total == 0) return 0;
        var both = Lcm(every, epoch);
        var counted = total / every + total / epoch - total / both;
        var lastCounted = total % every == 0 || total % epoch == 0;
        return counted + (lastCounted ? 0 : 1);
    }

    /// <summary>Evaluations that read the whole validation split: each epoch's end, and the last step when it ends no epoch.</summary>
    public static long WholeSplitEvaluations(TrainingOptions options, int textLength)
    {
        long total = options.TotalSteps(textLength), epoch = options.StepsPerEpoch(textLength);
        return total / epoch + (total % epoch == 0 ? 0 : 1);
    }

    /// <summary>
    /// The run's duration from measured costs: its steps, plus each evaluation's validation batches (the whole
    /// split, or the subset between epoch ends). Checkpoint writes and the 200-character samples are left out:
    /// under 2 % of a run at any preset.
    /// </summary>
    public static TimeSpan Estimate(TrainingOptions options, int textLength, StepCosts costs) =>
        TimeSpan.FromSeconds(options.TotalSteps(textLength) * costs.TrainStep + costs.FirstStepExtra
            + ValidationBatchesRead(options, textLength) * costs.ValidationBatch);

    /// <summary>Validation batches the whole run reads.</summary>
    public static long ValidationBatchesRead(TrainingOptions options, int textLength)
    {
        var split = options.ValidationBatches(textLength);
        var whole = WholeSplitEvaluations(options, textLength);
        var between = Evaluations(options, textLength) - whole;
        return whole * split + between * Math.Min(options.EvaluationBatches ?? split, split);
    }

    /// <summary>Forward multiply-accumulates per character: every LSTM layer's gates and the output layer.</summary>
    public static long MacsPerCharacter(int hidden, int layers, int vocabularySize)
    {
        long macs = (long)vocabularySize * hidden;
        for (var layer = 0; layer < layers; layer++) macs += 4L * hidden * ((layer == 0 ? vocabularySize : hidden) + hidden);
        return macs;
    }

    private static long Lcm(long a, long b)
    {
        long x = a, y = b;
        while (y != 0) (x, y) = (y, x % y);
        return a / x * b;
    }
}
