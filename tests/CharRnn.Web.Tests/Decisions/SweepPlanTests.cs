using CharRnn.Web.Features.Settings;
using CharRnn.Web.Features.Sweeps;

namespace CharRnn.Web.Tests.Decisions;

/// <summary>
/// A sweep request turned into trials, or refused with every problem at once, without a server. The API's own refusals
/// (a missing book, a trial whose options break a run's rules) and the wiring (400, nothing queued) are SweepRequestTests'.
/// </summary>
public class SweepPlanTests
{
    private static readonly StudioLimits Limits = new();

    private static readonly CreateSweepRequest Good = new(1, new() { ["learningRate"] = new(LogUniform: [0.003, 0.03]) },
        Base: SweepClient.Base("quick"), Method: SweepMethod.Random, Trials: 4);

    public static TheoryData<string, string> Refusals => new()
    {
        { "empty space", "The search space is empty" },
        { "low above high", "learningRate's logUniform range runs from 0.03 down to 0.003: give its low end first." },
        { "log over zero", "learningRate's logUniform range starts at 0: a log scale needs values above 0." },
        { "log below zero", "dropout's logUniform range starts at -0.1: a log scale needs values above 0." },
        { "a range outside the option's bounds", "dropout's range: Dropout must be at least 0 and below 1; it was 1.5." },
        { "whole numbers for a fraction", "dropout is not a whole number: give it a uniform or logUniform range." },
        { "an empty list", "dropout has an empty list of values." },
        { "a value of the wrong type", "schedule: " },
        { "budget over the limit", "The budget is 500 trials; the limit is 200 (the setting CharRnn:Limits:MaxSweepTrials raises it)." },
        { "no trials", "A sweep needs at least one trial; trials was 0." },
        { "concurrency over the limit", "Concurrency must be between 1 and 8; it was 9 (the setting CharRnn:Limits:MaxSweepConcurrency raises it)." },
        { "eta below two", "Early stopping's eta must be at least 2" },
        { "too many rungs", "Early stopping needs between 2 and 6 rungs (the last at the trial's end); it was 7." },
        { "unknown option", "There is no option 'learnigRate'; the options are hidden," },
        { "grid over the budget", "The grid has 9 combinations, more than the budget of 4 trials: raise trials, drop some values, or use method random." },
        { "grid over the limit", "The grid has 225 combinations; the limit is 200 trials" },
        { "grid with a range", "A grid needs a list of values for every parameter; learningRate has a range" },
        { "random without a budget", "A random search needs a budget" },
        { "two kinds of space", "dropout needs exactly one of values, uniform, logUniform or intUniform; it has 2." },
        { "a range on a choice", "schedule is a choice (constant, cosine, linear): list its values instead of a range." },
    };

    private static CreateSweepRequest Case(string @case) => @case switch
    {
        "empty space" => Good with { Parameters = [] },
        "low above high" => Good with { Parameters = new() { ["learningRate"] = ParameterSpace.Range(SpaceKind.LogUniform, 0.03, 0.003) } },
        "log over zero" => Good with { Parameters = new() { ["learningRate"] = ParameterSpace.Range(SpaceKind.LogUniform, 0, 0.03) } },
        "log below zero" => Good with { Parameters = new() { ["dropout"] = ParameterSpace.Range(SpaceKind.LogUniform, -0.1, 0.5) } },
        "a range outside the option's bounds" => Good with { Parameters = new() { ["dropout"] = ParameterSpace.Range(SpaceKind.Uniform, 0.1, 1.5) } },
        "whole numbers for a fraction" => Good with { Parameters = new() { ["dropout"] = ParameterSpace.Range(SpaceKind.IntUniform, 0, 1) } },
        "an empty list" => Good with { Parameters = new() { ["dropout"] = new(Values: []) } },
        "a value of the wrong type" => Good with { Parameters = new() { ["schedule"] = SweepClient.Values("cosine", "sideways") } },
        "budget over the limit" => Good with { Trials = 500 },
        "no trials" => Good with { Trials = 0 },
        "concurrency over the limit" => Good with { Concurrency = 9 },
        "eta below two" => Good with { EarlyStopping = new(Eta: 1) },
        "too many rungs" => Good with { EarlyStopping = new(Rungs: 7) },
        "unknown option" => Good with { Parameters = new() { ["learnigRate"] = ParameterSpace.Range(SpaceKind.Uniform, 0.001, 0.01) } },
        "grid over the budget" => Good with { Method = SweepMethod.Grid, Parameters = new() { ["dropout"] = SweepClient.Values(0, 0.1, 0.2), ["hidden"] = SweepClient.Values(8, 16, 32) } },
        "grid over the limit" => Good with { Method = SweepMethod.Grid, Trials = null, Parameters = new() { ["hidden"] = SweepClient.Values(Enumerable.Range(1, 15).Cast<object>().ToArray()), ["layers"] = SweepClient.Values(Enumerable.Range(1, 15).Cast<object>().ToArray()) } },
        "grid with a range" => Good with { Method = SweepMethod.Grid, Trials = null },
        "random without a budget" => Good with { Trials = null },
        "two kinds of space" => Good with { Parameters = new() { ["dropout"] = new(Values: SweepClient.Values(0.1).Values, Uniform: [0, 0.5]) } },
        "a range on a choice" => Good with { Parameters = new() { ["schedule"] = ParameterSpace.Range(SpaceKind.Uniform, 0, 1) } },
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_request_that_cannot_run_is_refused_with_the_reason_and_no_trials(string @case, string expected)
    {
        var (trials, problems) = SweepPlan.Trials(Case(@case), seed: 1, Limits);

        Assert.Null(trials);
        Assert.Contains(problems, p => p.Contains(expected));
    }

    [Fact]
    public void Every_problem_is_said_at_once()
    {
        var (_, problems) = SweepPlan.Trials(Good with { Concurrency = 0, Trials = 500, Parameters = new() { ["learnigRate"] = new(Values: []), ["dropout"] = new() } }, 1, Limits);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void A_grid_walks_every_combination_with_the_first_parameter_changing_slowest()
    {
        var request = Good with { Method = SweepMethod.Grid, Trials = null, Parameters = new() { ["dropout"] = SweepClient.Values(0, 0.2), ["schedule"] = SweepClient.Values("cosine", "constant", "linear") } };

        var (trials, problems) = SweepPlan.Trials(request, seed: 1, Limits);

        Assert.Empty(problems);
        Assert.Equal(
            ["dropout 0, schedule cosine", "dropout 0, schedule constant", "dropout 0, schedule linear", "dropout 0.2, schedule cosine", "dropout 0.2, schedule constant", "dropout 0.2, schedule linear"],
            trials!.Select(t => t.Describe()));
        var options = trials![4].Apply(TrainingPresets.Quick.Options);
        Assert.Equal((0.2, ScheduleKind.Constant), (options.Dropout, options.Schedule));
    }

    [Fact]
    public void A_random_search_draws_within_each_space_and_the_same_seed_draws_the_same_trials()
    {
        var request = Good with
        {
            Trials = 50,
            Parameters = new()
            {
                ["learningRate"] = ParameterSpace.Range(SpaceKind.LogUniform, 0.001, 0.1),
                ["dropout"] = ParameterSpace.Range(SpaceKind.Uniform, 0, 0.5),
                ["hidden"] = ParameterSpace.Range(SpaceKind.IntUniform, 16, 18),
                ["schedule"] = SweepClient.Values("cosine", "constant"),
            },
        };

        var first = SweepPlan.Trials(request, seed: 7, Limits).Trials!.Select(t => t.Describe()).ToList();
        var again = SweepPlan.Trials(request, seed: 7, Limits).Trials!.Select(t => t.Describe()).ToList();
        var other = SweepPlan.Trials(request, seed: 8, Limits).Trials!.Select(t => t.Describe()).ToList();
        var options = SweepPlan.Trials(request, seed: 7, Limits).Trials!.Select(t => t.Apply(TrainingPresets.Quick.Options)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(options, o =>
        {
            Assert.InRange(o.LearningRate, 0.001, 0.1);
            Assert.InRange(o.Dropout, 0, 0.5);
            Assert.InRange(o.Hidden, 16, 18);
        });
        Assert.Equal([16, 17, 18], options.Select(o => o.Hidden).Distinct().Order()); // both ends included
        Assert.Equal(2, options.Select(o => o.Schedule).Distinct().Count());
        // A log scale: about half the rates fall below the range's geometric middle (0.01), not a tenth.
        Assert.InRange(options.Count(o => o.LearningRate < 0.01), 15, 35);
        // Four significant digits: a drawn rate reads 0.004817, not 0.0048172630918.
        Assert.All(options, o => Assert.Equal(o.LearningRate, double.Parse(o.LearningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_space_names_its_kind_and_a_range_is_made_from_one()
    {
        Assert.Equal(SpaceKind.Values, SweepClient.Values(1, 2).Kind);
        Assert.Equal(SpaceKind.LogUniform, ParameterSpace.Range(SpaceKind.LogUniform, 0.1, 1).Kind);
        Assert.Equal([16L, 32L], ParameterSpace.Range(SpaceKind.IntUniform, 16.7, 32).IntUniform!);
        Assert.Null(new ParameterSpace().Kind);
        Assert.Null(new ParameterSpace(Uniform: [0, 1], LogUniform: [0.1, 1]).Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterSpace.Range(SpaceKind.Values, 0, 1));
    }
}
