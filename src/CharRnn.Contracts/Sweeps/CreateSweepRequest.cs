using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/sweeps</c>, as JSON or as the same document in YAML: a book, the options every trial starts from, the
/// options to vary and how, the method, how many trials in all and at once. Each trial is an ordinary run.
/// </summary>
/// <param name="Parameters">Training options by their JSON name (<see cref="TrainingOption.Name"/>), each with its values or range.</param>
/// <param name="Trials">How many trials in all; a grid's size when omitted with <see cref="SweepMethod.Grid"/>.</param>
/// <param name="Concurrency">Trials that train at once; on a CPU they divide its cores between them.</param>
/// <param name="Seed">Draws a random search's values; the trials' own seed is the base options' (one for all, so that only the parameters differ).</param>
public sealed record CreateSweepRequest(
    int BookId,
    Dictionary<string, ParameterSpace> Parameters,
    string? Name = null,
    SweepBase? Base = null,
    SweepMethod Method = SweepMethod.Grid,
    EarlyStopping? EarlyStopping = null,
    int? Trials = null,
    int Concurrency = 1,
    int? Seed = null);

/// <summary>What every trial starts from: a preset, or an existing run's options, with any options laid over them by name.</summary>
public sealed record SweepBase(string? Preset = null, int? RunId = null, Dictionary<string, JsonElement>? Options = null);

/// <summary>
/// One parameter's space: a list of values (which a grid walks and a random search draws from), or a range that a
/// random search samples: uniform, log-uniform (a rate from 0.001 to 0.03 is drawn evenly over its orders of magnitude)
/// or whole numbers, both ends included. Exactly one of the four.
/// </summary>
public sealed record ParameterSpace(JsonElement[]? Values = null, double[]? Uniform = null, double[]? LogUniform = null, long[]? IntUniform = null)
{
    /// <summary>True for a log-uniform range: its views draw the metric on a log axis.</summary>
    public bool IsLog => LogUniform is not null;

    /// <summary>Which of the four this space gives; null when it gives none or several (the sweep's checks say so).</summary>
    [JsonIgnore]
    public SpaceKind? Kind => (Values, Uniform, LogUniform, IntUniform) switch
    {
        (not null, null, null, null) => SpaceKind.Values,
        (null, not null, null, null) => SpaceKind.Uniform,
        (null, null, not null, null) => SpaceKind.LogUniform,
        (null, null, null, not null) => SpaceKind.IntUniform,
        _ => null,
    };

    /// <summary>A range of <paramref name="kind"/> from <paramref name="low"/> to <paramref name="high"/> (whole numbers are truncated).</summary>
    public static ParameterSpace Range(SpaceKind kind, double low, double high) => kind switch
    {
        SpaceKind.Uniform => new(Uniform: [low, high]),
        SpaceKind.LogUniform => new(LogUniform: [low, high]),
        SpaceKind.IntUniform => new(IntUniform: [(long)low, (long)high]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A list of values is no range."),
    };
}

/// <summary>How a parameter's space is given: a list of values, or a range drawn uniformly, log-uniformly or as whole numbers (their JSON names are the fields').</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SpaceKind>))]
public enum SpaceKind { Values, Uniform, LogUniform, IntUniform }

/// <summary>Successive halving (ASHA): rungs at whole-split evaluations; a trial not in the top 1/<see cref="Eta"/> of its rung stops there.</summary>
/// <param name="Rungs">Rungs in a trial's run, the last at its end: 3 with η = 3 puts them after 1/9, 1/3 and all of its steps.</param>
public sealed record EarlyStopping(EarlyStoppingKind Kind = EarlyStoppingKind.Asha, int Eta = 3, int Rungs = 3)
{
    /// <summary>Each rung's share of a trial's steps: η^-(rungs-1) … 1/η, 1.</summary>
    public IReadOnlyList<double> Fractions => Enumerable.Range(0, Rungs).Select(r => Math.Pow(Eta, r - (Rungs - 1))).ToList();
}
