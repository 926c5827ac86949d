using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Batches;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Devices;
using CharRnn.Training.Model;
using CharRnn.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Loop;

/// <summary>
/// Trains a <see cref="CharRnnModel"/> on one text with the notebook's loop: Adam, cross-entropy,
/// gradient clipping, hidden state carried across batches and detached every step, zeroed each epoch.
/// Every <see cref="TrainingOptions.EvaluateEvery"/> steps and at each epoch's end it measures the
/// validation loss (on the whole split at epoch ends; between them on the seeded subset of
/// <see cref="TrainingOptions.EvaluationBatches"/> when that is set), draws a short sample and writes a checkpoint. Cancellation finishes the step under
/// way, saves a checkpoint and returns. <see cref="Run"/> blocks; call it from a thread of its own.
/// </summary>
public sealed class Trainer
{
    private const int TrimEverySteps = 10;
    private const int SampleLength = 200;

    private readonly TrainingOptions _options;
    private readonly Vocabulary _vocabulary;
    private readonly int[] _encoded;
    private readonly string _bookSha256;
    private readonly string _samplePrime;
    private readonly RunCheckpoints _checkpoints;
    private readonly string? _runId;

    public event Action<StepMetrics>? StepCompleted;
    public event Action<Evaluation>? Evaluated;
    public event Action<SavedCheckpoint>? CheckpointSaved;

    /// <param name="text">The book, already decoded and normalised (<see cref="BookText"/>).</param>
    /// <param name="vocabulary">Null to build one from the text; a resumed or fine-tuned model brings its own.</param>
    public Trainer(string text, TrainingOptions options, string outputDirectory, string? runId = null, Vocabulary? vocabulary = null)
    {
        var problems = options.Problems(text.EnumerateRunes().Count());
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options with { Seed = options.Seed ?? SeededRandom.NewSeed() };
        _vocabulary = vocabulary ?? Vocabulary.FromText(text);
        _encoded = _vocabulary.Encode(text);
        _bookSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        _samplePrime = new string(text.TakeWhile(c => !char.IsWhiteSpace(c)).Take(20).ToArray()) is { Length: > 0 } word ? word : text[..1];
        _checkpoints = new RunCheckpoints(outputDirectory);
        _runId = runId;
    }

    /// <summary>
    /// A trainer that fine-tunes <paramref name="source"/> on <paramref name="text"/>: the alphabet grown by the text's
    /// new characters (<see cref="GrownAlphabet"/>), the first step from the source's weights with a fresh optimizer. The
    /// shape is the checkpoint's; options that ask for another are refused, naming both.
    /// </summary>
    public static Trainer FineTune(string text, Checkpoint source, TrainingOptions options, string outputDirectory, string? runId = null)
    {
        if (source.Config.Hidden != options.Hidden || source.Config.Layers != options.Layers)
            throw new ArgumentException($"The checkpoint is a {source.Config.Layers}×{source.Config.Hidden} model and the options ask for {options.Layers}×{options.Hidden}: "
                + "a fine-tune keeps the checkpoint's shape, so leave hidden and layers out or give the checkpoint's.", nameof(options));
        var grown = GrownAlphabet.For(source, text);
        return new Trainer(text, options, outputDirectory, runId, grown.Vocabulary) { StartFrom = grown };
    }

    /// <summary>The weights of the first step for a fine-tune (<see cref="FineTune"/>); null to start from random weights.</summary>
    public Checkpoint? StartFrom { get; private init; }

    /// <summary>
    /// Steps at which to evaluate on the whole split besides the epochs' ends: a sweep's rungs, where trials are compared
    /// on the figure that picks the best checkpoint, whatever <see cref="TrainingOptions.EvaluateEvery"/> says.
    /// </summary>
    public IReadOnlySet<long> WholeSplitSteps { get; set; } = new HashSet<long>();

    /// <summary>
    /// Other books' validation splits (<see cref="OtherBookSplit"/>, in this trainer's <see cref="Vocabulary"/>), each
    /// measured at every whole-split evaluation beside the run's own: what a fine-tune forgets of the book it came from.
    /// They never choose the best checkpoint.
    /// </summary>
    public IReadOnlyList<OtherBookSplit> AlsoEvaluateOn { get; set; } = [];

    /// <summary>The options in force, with the seed filled in.</summary>
    public TrainingOptions Options => _options;

    /// <summary>The device this machine trains on for these options.</summary>
    public TrainingDevice Device => TrainingDevices.Here(_options.Device);

    /// <summary>What the forward and backward passes compute in on this machine for these options.</summary>
    public TrainingPrecision Precision => TrainingPrecisions.Here(_options.Precision, Device);

    public Vocabulary Vocabulary => _vocabulary;

    public int StepsPerEpoch => _options.StepsPerEpoch(_encoded.Length);

    public long TotalSteps => _options.TotalSteps(_encoded.Length);

    /// <param name="resumeFrom">A checkpoint of this run to continue from, with its optimizer state and step.</param>
    public TrainingResult Run(CancellationToken cancellationToken = default, string? resumeFrom = null)
    {
        // libtorch's thread count is the process's: a server may train several runs at once (a sweep's trials), and resizing
        // the pool while another run is inside a parallel operation failed in libtorch's own checks ("Expected false to be
        // true"). Resize only when the count differs.
        if (_options.Threads is { } threads && torch.get_num_threads() != threads) torch.set_num_threads(threads);
        var device = Device.Torch();
        torch.manual_seed(_options.Seed!.Value);

        using var model = new CharRnnModel(_vocabulary.Count, _options.Hidden, _options.Layers, _options.Dropout);
        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), _options.LearningRate);

        long step = 0;
        double? best = _checkpoints.BestValLoss();
        if (resumeFrom is not null) step = Restore(resumeFrom, model, optimizer);
        else if (StartFrom is not null) ModelWeights.Import(model, StartFrom.Tensors);
        using var steps = new MixedPrecision(model, Precision, device);

        var (train, validation) = CharBatches.Split(_encoded, _options);
        int b = _options.BatchSize, s = _options.SequenceLength;
        var stepsPerEpoch = StepsPerEpoch;
        var totalSteps = TotalSteps;
        string? last = null;
        var (inputs, targets) = (new long[b * s], new long[b * s]);
        var clock = Stopwatch.StartNew();
        var stepsThisSession = 0;
        var savedStep = -1L;
        var speed = new SpeedWindow(b * s);
        var wholeSplit = Enumerable.Range(0, CharBatches.Count(validation.Length, b, s)).ToArray();
        var subset = ValidationSubset.Choose(wholeSplit.Length, _options.EvaluationBatches, _options.Seed!.Value);

        for (var epoch = (int)(step / stepsPerEpoch); epoch < _options.Epochs && step < totalSteps; epoch++)
        {
            var state = steps.InitialState(b, device);
            for (var window = (int)(step - (long)epoch * stepsPerEpoch); window < stepsPerEpoch; window++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    TrainingSteps.DisposeState(state);
                    // Stopped right after an evaluation (a sweep's rung): its checkpoint, with the loss that judged it, is the one to keep.
                    if (savedStep != step) last = SaveCheckpoint(model, optimizer, step, epoch + 1, null, null, ref best);
                    return new TrainingResult(TrainingOutcome.Cancelled, step, best, BestOrNull(), last);
                }

                var stepClock = Stopwatch.StartNew();
                // The step decides the rate, so a resumed run continues on its schedule.
                var rate = LearningRateSchedule.At(_options, step + 1, (long)stepsPerEpoch * _options.Epochs);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                CharBatches.Fill(train.Span, b, s, window, inputs, targets);
                var loss = TrainingSteps.Train(steps, optimizer, inputs, targets, b, _options.GradientClip, device, ref state);
                if (!double.IsFinite(loss))
                {
                    TrainingSteps.DisposeState(state);
                    throw new TrainingDivergedException(step + 1, loss, "training");
                }
                step++;
                stepsThisSession++;
                if (step % TrimEverySteps == 0) NativeMemory.Trim();

                var secondsPerStep = clock.Elapsed.TotalSeconds / stepsThisSession;
                StepCompleted?.Invoke(new StepMetrics(step, totalSteps, epoch + 1, _options.Epochs, loss,
                    speed.Add(stepClock.Elapsed.TotalSeconds), TimeSpan.FromSeconds(secondsPerStep * (totalSteps - step)), rate));

                var endOfEpoch = step % stepsPerEpoch == 0;
                var lastStep = step >= totalSteps;
                var asked = WholeSplitSteps.Contains(step);
                if (step % _options.EvaluateEvery == 0 || endOfEpoch || lastStep || asked)
                {
                    var windows = endOfEpoch || lastStep || asked ? wholeSplit : subset;
                    var whole = windows.Length == wholeSplit.Length;
                    var evaluationClock = Stopwatch.StartNew();
                    var valLoss = ValidationPass.Loss(model, validation, _options, device, windows);
                    if (!double.IsFinite(valLoss))
                    {
                        TrainingSteps.DisposeState(state);
                        throw new TrainingDivergedException(step, valLoss, "validation");
                    }
                    var others = whole ? OtherBooksLoss(model, device) : null;
                    var evaluationSeconds = evaluationClock.Elapsed.TotalSeconds;
                    // A subset's estimate stays out of the checkpoint, so nothing that picks the best checkpoint can use it.
                    var checkpoint = BuildCheckpoint(model, step, epoch + 1, loss, whole ? valLoss : null);
                    Evaluated?.Invoke(new Evaluation(step, epoch + 1, valLoss, DrawSample(checkpoint, step), whole, evaluationSeconds, others));
                    last = SaveCheckpoint(checkpoint, optimizer, ref best);
                    savedStep = step;
                }
                if (lastStep) break;
            }
            TrainingSteps.DisposeState(state);
        }
        var outcome = step >= (long)stepsPerEpoch * _options.Epochs ? TrainingOutcome.Completed : TrainingOutcome.StepLimitReached;
        return new TrainingResult(outcome, step, best, BestOrNull(), last ?? _checkpoints.Newest());
    }

    /// <summary>Each other book's loss on its whole validation split (<see cref="AlsoEvaluateOn"/>); null when there are none.</summary>
    private IReadOnlyList<BookValLoss>? OtherBooksLoss(CharRnnModel model, Device device) => AlsoEvaluateOn.Count == 0 ? null
        : AlsoEvaluateOn.Select(book => new BookValLoss(book.Id, ValidationPass.Loss(model, book.Validation, _options, device, book.Windows(_options)))).ToList();

    /// <summary>Loads weights, optimizer state and step from a checkpoint of the same model and text.</summary>
    private long Restore(string path, CharRnnModel model, OptimizerHelper optimizer)
    {
        var checkpoint = CheckpointFile.Read(path);
        if (!checkpoint.Vocabulary.Tokens.SequenceEqual(_vocabulary.Tokens))
            throw new InvalidOperationException("The checkpoint was trained on a text with another alphabet; resume it on the same book.");
        if (checkpoint.Config.Hidden != _options.Hidden || checkpoint.Config.Layers != _options.Layers)
            throw new InvalidOperationException($"The checkpoint is a {checkpoint.Config.Layers}×{checkpoint.Config.Hidden} model; the options ask for {_options.Layers}×{_options.Hidden}.");
        var optimizerPath = RunCheckpoints.OptimizerPathFor(path);
        if (!File.Exists(optimizerPath))
            throw new InvalidOperationException($"The optimizer state {Path.GetFileName(optimizerPath)} is missing beside the checkpoint, so training cannot continue exactly where it stopped.");
        ModelWeights.Import(model, checkpoint.Tensors);
        optimizer.load_state_dict(optimizerPath);
        return checkpoint.Training?.Step ?? 0;
    }

    private Checkpoint BuildCheckpoint(CharRnnModel model, long step, int epoch, double? trainLoss, double? valLoss) =>
        new(new ModelConfig(_options.Hidden, _options.Layers, _options.Dropout, _vocabulary.Count),
            _vocabulary,
            ModelWeights.Export(model),
            new TrainingInfo(_runId, step, epoch, trainLoss, valLoss, _bookSha256, TrainingJson.ToElement(_options)),
            DateTimeOffset.UtcNow);

    private string SaveCheckpoint(CharRnnModel model, OptimizerHelper optimizer, long step, int epoch, double? trainLoss, double? valLoss, ref double? best) =>
        SaveCheckpoint(BuildCheckpoint(model, step, epoch, trainLoss, valLoss), optimizer, ref best);

    private string SaveCheckpoint(Checkpoint checkpoint, OptimizerHelper optimizer, ref double? best)
    {
        var path = _checkpoints.Save(checkpoint, optimizer);
        var info = checkpoint.Training!;
        var isBest = info.ValLoss is { } v && (best is null || v < best);
        if (isBest)
        {
            best = info.ValLoss;
            _checkpoints.MarkBest(path);
        }
        CheckpointSaved?.Invoke(new SavedCheckpoint(path, info.Step, info.Epoch, info.TrainLoss, info.ValLoss, isBest, new FileInfo(path).Length));
        return path;
    }

    /// <summary>A short sample with the inference engine, as a person would see it, repeatable for a given seed and step.</summary>
    private string DrawSample(Checkpoint checkpoint, long step)
    {
        var sampler = new Sampler(new LstmWeights(checkpoint));
        var options = new SampleOptions(_samplePrime, SampleLength, Temperature: 1.0, TopK: 5, Seed: unchecked(_options.Seed!.Value + (int)step));
        return _samplePrime + string.Concat(sampler.Generate(options));
    }

    private string? BestOrNull() => File.Exists(_checkpoints.BestPath) ? _checkpoints.BestPath : null;
}
