using System.Globalization;
using System.Text.Json;
using CharRnn.Web.Features.Settings;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// A sweep request's trials: the swept options' values for each, in the order they will run. A grid walks every
/// combination, the first parameter changing slowest (as <c>itertools.product</c>); a random search draws each
/// parameter with the sweep's seed, so the same request gives the same trials. Every problem with the space, the
/// method, the budget or the concurrency is said at once, before anything is queued.
/// </summary>
public static class SweepPlan
{
    /// <summary>One trial's values by option, in the request's parameter order.</summary>
    public sealed record Trial(IReadOnlyList<(TrainingOption Option, object? Value)> Values)
    {
        public TrainingOptions Apply(TrainingOptions options) => Values.Aggregate(options, (o, v) => v.Option.With(o, v.Value));

        /// <summary>The values as the API writes them, by JSON name.</summary>
        public Dictionary<string, JsonElement> ToJson() =>
            Values.ToDictionary(v => v.Option.Name, v => JsonSerializer.SerializeToElement(v.Value, ContractsJson.Options));

        /// <summary>"learningRate 0.005, dropout 0.2": a trial's name and the table's short form.</summary>
        public string Describe() => string.Join(", ", Values.Select(v => $"{v.Option.Name} {TrainingOption.Format(v.Value)}"));
    }

    public static (IReadOnlyList<Trial>? Trials, IReadOnlyList<string> Problems) Trials(CreateSweepRequest request, int seed, StudioLimits limits)
    {
        var problems = new List<string>();
        var parameters = new List<(TrainingOption Option, ParameterSpace Space, IReadOnlyList<object?>? Values)>();
        if (request.Parameters is not { Count: > 0 })
            problems.Add("The search space is empty: give at least one option under parameters, with a list of values or a range.");
        foreach (var (name, space) in request.Parameters ?? [])
        {
            if (TrainingOption.Find(name) is not { } option) { problems.Add(TrainingOption.Unknown(name)); continue; }
            var problem = SpaceProblem(option, space);
            if (problem is not null) { problems.Add(problem); continue; }
            IReadOnlyList<object?>? values = null;
            if (space.Values is { } given)
            {
                var read = new List<object?>();
                foreach (var element in given)
                {
                    if (option.TryRead(element, out var value, out _, out var wrong)) read.Add(value);
                    else problems.Add($"{option.Name}: {wrong}");
                }
                values = read;
            }
            parameters.Add((option, space, values));
        }
        if (request.Concurrency < 1 || request.Concurrency > limits.MaxSweepConcurrency)
            problems.Add($"Concurrency must be between 1 and {limits.MaxSweepConcurrency:N0}; it was {request.Concurrency:N0} ({StudioLimits.Raise(nameof(limits.MaxSweepConcurrency))}).");
        if (request.EarlyStopping is { } stopping)
        {
            if (stopping.Eta < 2) problems.Add($"Early stopping's eta must be at least 2 (keep the best 1/eta at each rung); it was {stopping.Eta}.");
            if (stopping.Rungs is < 2 or > 6) problems.Add($"Early stopping needs between 2 and 6 rungs (the last at the trial's end); it was {stopping.Rungs}.");
        }
        if (request.Trials is < 1) problems.Add($"A sweep needs at least one trial; trials was {request.Trials}.");
        if (request.Trials > limits.MaxSweepTrials)
            problems.Add($"The budget is {request.Trials:N0} trials; the limit is {limits.MaxSweepTrials:N0} ({StudioLimits.Raise(nameof(limits.MaxSweepTrials))}).");
        if (problems.Count > 0) return (null, problems);

        return request.Method == SweepMethod.Grid ? Grid(parameters, request.Trials, limits) : Random(parameters, request.Trials, seed);
    }

    /// <summary>What is wrong with one parameter's space, before its values are read.</summary>
    private static string? SpaceProblem(TrainingOption option, ParameterSpace space)
    {
        var given = new object?[] { space.Values, space.Uniform, space.LogUniform, space.IntUniform }.Count(x => x is not null);
        if (given != 1) return $"{option.Name} needs exactly one of values, uniform, logUniform or intUniform; it has {given}.";
        if (space.Values is { Length: 0 }) return $"{option.Name} has an empty list of values.";
        if (space.Values is not null) return null;
        if (option.Type.IsEnum) return $"{option.Name} is a choice ({string.Join(", ", option.Choices)}): list its values instead of a range.";
        if (space.IntUniform is not null && !option.WholeNumber) return $"{option.Name} is not a whole number: give it a uniform or logUniform range.";
        var range = space.Uniform ?? space.LogUniform ?? space.IntUniform!.Select(x => (double)x).ToArray();
        var kind = ContractsJson.Name(space.Kind!.Value);
        if (range.Length != 2) return $"{option.Name}'s {kind} range needs two numbers, its low and high ends; it has {range.Length}.";
        if (range[0] > range[1]) return $"{option.Name}'s {kind} range runs from {Number(range[0])} down to {Number(range[1])}: give its low end first.";
        if (space.LogUniform is not null && range[0] <= 0)
            return $"{option.Name}'s logUniform range starts at {Number(range[0])}: a log scale needs values above 0.";
        foreach (var end in range)
            if (option.Problem(option.With(TrainingPresets.Notebook.Options, option.WholeNumber ? ToWhole(option, end) : end)) is { } outside)
                return $"{option.Name}'s range: {outside}";
        return null;
    }

    private static (IReadOnlyList<Trial>?, IReadOnlyList<string>) Grid(
        List<(TrainingOption Option, ParameterSpace Space, IReadOnlyList<object?>? Values)> parameters, int? budget, StudioLimits limits)
    {
        var ranged = parameters.Where(p => p.Values is null).Select(p => p.Option.Name).ToList();
        if (ranged.Count > 0)
            return (null, [$"A grid needs a list of values for every parameter; {string.Join(", ", ranged)} {(ranged.Count == 1 ? "has a range" : "have ranges")}: list the values, or use method random."]);
        var size = parameters.Aggregate(1L, (n, p) => n * p.Values!.Count);
        var allowed = budget ?? limits.MaxSweepTrials;
        if (size > allowed)
            return (null, [budget is null
                ? $"The grid has {size:N0} combinations; the limit is {limits.MaxSweepTrials:N0} trials ({StudioLimits.Raise(nameof(limits.MaxSweepTrials))})."
                : $"The grid has {size:N0} combinations, more than the budget of {budget:N0} trials: raise trials, drop some values, or use method random."]);
        IEnumerable<IReadOnlyList<(TrainingOption, object?)>> combinations = [[]];
        foreach (var (option, _, values) in parameters)
            combinations = combinations.SelectMany(c => values!.Select(v => (IReadOnlyList<(TrainingOption, object?)>)[.. c, (option, v)]));
        return (combinations.Select(c => new Trial(c)).ToList(), []);
    }

    private static (IReadOnlyList<Trial>?, IReadOnlyList<string>) Random(
        List<(TrainingOption Option, ParameterSpace Space, IReadOnlyList<object?>? Values)> parameters, int? budget, int seed)
    {
        if (budget is not { } trials) return (null, ["A random search needs a budget: say how many trials (trials)."]);
        // System.Random with a seed follows one documented algorithm on every platform, so the draws repeat everywhere.
        var random = new Random(seed);
        var drawn = new List<Trial>();
        for (var t = 0; t < trials; t++)
            drawn.Add(new Trial(parameters.Select(p => (p.Option, Draw(p.Option, p.Space, p.Values, random))).ToList()));
        return (drawn, []);
    }

    private static object? Draw(TrainingOption option, ParameterSpace space, IReadOnlyList<object?>? values, Random random)
    {
        if (values is not null) return values[random.Next(values.Count)];
        if (space.IntUniform is [var low, var high]) return ToWhole(option, low + (long)Math.Floor(random.NextDouble() * (high - low + 1)));
        if (space.LogUniform is [var a, var b]) return Round(Math.Exp(Math.Log(a) + random.NextDouble() * (Math.Log(b) - Math.Log(a))));
        var (u, v) = (space.Uniform![0], space.Uniform[1]);
        var x = Round(u + random.NextDouble() * (v - u));
        return option.WholeNumber ? ToWhole(option, Math.Round(x)) : x;
    }

    /// <summary>Four significant digits: a drawn rate reads 0.004817, not 0.0048172630918.</summary>
    private static double Round(double x) => x == 0 ? 0 : Math.Round(x, Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(x))), 0, 15));

    private static object ToWhole(TrainingOption option, double x) => option.Type == typeof(long) ? (object)(long)x : (int)x;

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
