using System.Collections.Concurrent;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// What each model shape costs on this machine (<see cref="TrainingCost.Measure"/>), timed once and kept for the
/// life of the process. One measurement at a time: two would share the cores and both read slow.
/// </summary>
public sealed class StepCostCache(ILogger<StepCostCache> log)
{
    private readonly ConcurrentDictionary<CostShape, Lazy<Task<StepCosts>>> _costs = new();
    private readonly SemaphoreSlim _measuring = new(1, 1);

    /// <summary>The costs if this shape has been timed already.</summary>
    public StepCosts? Known(CostShape shape) =>
        _costs.TryGetValue(shape, out var known) && known.Value.IsCompletedSuccessfully ? known.Value.Result : null;

    public bool IsKnownOrUnderWay(CostShape shape) => _costs.ContainsKey(shape);

    /// <summary>The costs of this shape, timing it first (on a thread of its own) unless that is done or under way.</summary>
    public Task<StepCosts> CostsAsync(CostShape shape, TrainingOptions options)
    {
        var lazy = _costs.GetOrAdd(shape, s => new Lazy<Task<StepCosts>>(() => MeasureAsync(s, options)));
        if (lazy.Value.IsFaulted) _costs.TryRemove(new(shape, lazy)); // a later request tries again
        return lazy.Value;
    }

    private async Task<StepCosts> MeasureAsync(CostShape shape, TrainingOptions options)
    {
        await _measuring.WaitAsync();
        try
        {
            // libtorch holds its thread for seconds: keep it off the thread pool.
            var costs = await Task.Factory.StartNew(() => TrainingCost.Measure(options, shape.Vocabulary, shape.Threads),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            log.LogInformation("Timed {Layers}×{Hidden} at batch {Batch}×{Sequence} on {Device} in {Precision}: {Step:F3} s a step, {Validation:F3} s a validation batch",
                shape.Layers, shape.Hidden, shape.Batch, shape.Sequence, shape.Device, shape.Precision.Name(), costs.TrainStep, costs.ValidationBatch);
            return costs;
        }
        finally { _measuring.Release(); }
    }
}

/// <summary>What decides a step's cost: the model, the batch, the threads, the device and the precision (not the learning rate or the book's length).</summary>
public sealed record CostShape(int Hidden, int Layers, int Vocabulary, int Batch, int Sequence, int Threads, TrainingDevice Device, TrainingPrecision Precision);
