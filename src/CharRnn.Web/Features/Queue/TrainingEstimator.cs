using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Queue;

/// <summary>
/// Estimates a run's duration from a few real training steps of its exact model shape on this server
/// (<see cref="StepCostCache"/>). While a run trains on the same device, timing steps would slow it and read
/// too slow, so then the estimate is a rough one from a reference rate, and says so.
/// </summary>
public sealed class TrainingEstimator(StepCostCache costs, TrainingQueue queue, IOptions<StudioOptions> studio)
{
    /// <summary>Forward multiply-accumulates a second that a 2-core CPU trains the notebook's model at, backward included (the rough figure's rate).</summary>
    private const double ReferenceMacsPerSecond = 1.7e10;

    /// <summary>Shapes whose rough step exceeds this are not timed: their steps would tie up the server for minutes.</summary>
    private const double LongestStepToTime = 20;

    /// <summary>The estimate if this shape was timed already (or cannot be now); null with <paramref name="pending"/> set while it is timed.</summary>
    public RunEstimate? TryEstimate(TrainingOptions options, int characters, int alphabetSize, out Task? pending)
    {
        pending = null;
        var shape = ShapeOf(options, alphabetSize);
        if (costs.Known(shape) is { } known) return Measured(options, characters, known);
        if (!costs.IsKnownOrUnderWay(shape) && WhyNotTimed(options, alphabetSize, shape) is { } why) return Rough(options, characters, alphabetSize, why);
        pending = costs.CostsAsync(shape, options);
        return null;
    }

    /// <summary>The estimate, timing this shape first if it has not been (a few seconds for the notebook's model).</summary>
    public async Task<RunEstimate> EstimateAsync(TrainingOptions options, int characters, int alphabetSize, CancellationToken ct = default)
    {
        var shape = ShapeOf(options, alphabetSize);
        if (!costs.IsKnownOrUnderWay(shape) && WhyNotTimed(options, alphabetSize, shape) is { } why) return Rough(options, characters, alphabetSize, why);
        try { return Measured(options, characters, await costs.CostsAsync(shape, options).WaitAsync(ct)); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Rough(options, characters, alphabetSize, $"this model could not be timed ({e.Message})");
        }
    }

    private string? WhyNotTimed(TrainingOptions options, int alphabetSize, CostShape shape)
    {
        if (queue.IsTraining(shape.Device)) return "a run is training, so this model is not timed now";
        if (RoughStepSeconds(options, alphabetSize) > LongestStepToTime) return "a model this large is not timed in advance";
        return null;
    }

    /// <summary>The shape on this server's device, in the precision the run will compute in there.</summary>
    private CostShape ShapeOf(TrainingOptions o, int alphabetSize)
    {
        var device = TrainingDevices.Here(o.Device);
        return new(o.Hidden, o.Layers, alphabetSize, o.BatchSize, o.SequenceLength, studio.Value.ThreadsFor(o), device, TrainingPrecisions.Here(o.Precision, device));
    }

    private static RunEstimate Measured(TrainingOptions options, int characters, StepCosts costs) =>
        new(options.TotalSteps(characters), TrainingCost.Evaluations(options, characters),
            TrainingCost.Estimate(options, characters, costs).TotalSeconds, true, "timed from a few steps of this model on this server");

    /// <summary>A figure from the reference rate, for a shape that is not timed: a validation batch costs about a third of a step (forward only).</summary>
    private static RunEstimate Rough(TrainingOptions options, int characters, int alphabetSize, string why)
    {
        var step = RoughStepSeconds(options, alphabetSize);
        var rough = new StepCosts(step, step / 3, 0);
        return new(options.TotalSteps(characters), TrainingCost.Evaluations(options, characters),
            TrainingCost.Estimate(options, characters, rough).TotalSeconds, false, $"rough: {why}");
    }

    private static double RoughStepSeconds(TrainingOptions o, int alphabetSize) =>
        (double)o.BatchSize * o.SequenceLength * TrainingCost.MacsPerCharacter(o.Hidden, o.Layers, alphabetSize) / ReferenceMacsPerSecond;
}
