using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/runs</c> (and <c>/api/runs/estimate</c>): a book, an optional name and preset, and any training option
/// by its JSON name (<see cref="TrainingOption.Name"/>), such as <c>"hidden": 256</c>. Omitted options, and options given
/// as null, take the preset's values (<see cref="TrainingPresets"/>: notebook, the default, fast, hour or quick).
/// </summary>
public sealed record CreateRunRequest(int BookId, string? Name = null, string? Preset = null)
{
    /// <summary>
    /// Other books whose validation splits the run is also evaluated on, at each whole-split evaluation: what a fine-tune
    /// forgets. Null: for a fine-tune, the book of the run it starts from; none otherwise. Empty: none.
    /// </summary>
    public IReadOnlyList<int>? AlsoEvaluateOn { get; init; }

    /// <summary>The training options given, by JSON name: every field besides the four above.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Options { get; init; }

    /// <summary>A request for exactly these options (every one written out), for callers that build them in C#.</summary>
    public static CreateRunRequest For(int bookId, TrainingOptions options, string? name = null, string? preset = null) => new(bookId, name, preset)
    {
        Options = TrainingOption.All.ToDictionary(o => o.Name, o => JsonSerializer.SerializeToElement(o.Get(options), ContractsJson.Options)),
    };

    /// <summary>The options asked for: the preset's, with the fields given laid over them; or every problem with the request.</summary>
    public (TrainingOptions? Options, IReadOnlyList<string> Problems) ToOptions()
    {
        var (preset, problem) = TrainingPresets.Requested(Preset);
        if (preset is null) return (null, [problem!]);
        var (options, problems) = LayOver(preset.Options, Options);
        return options is not null && TrainingPresets.Problem(preset, options.InitFrom is not null) is { } needs ? (null, [needs]) : (options, problems);
    }

    /// <summary><paramref name="start"/> with the options given by JSON name laid over it (null values left alone), or every problem with them.</summary>
    public static (TrainingOptions? Options, IReadOnlyList<string> Problems) LayOver(TrainingOptions start, IReadOnlyDictionary<string, JsonElement>? given)
    {
        var options = start;
        var problems = new List<string>();
        foreach (var (name, element) in given ?? new Dictionary<string, JsonElement>())
        {
            if (TrainingOption.Find(name) is not { } option)
            {
                problems.Add(TrainingOption.Unknown(name));
                continue;
            }
            if (!option.TryRead(element, out var value, out var isGiven, out var problem)) problems.Add(problem!);
            else if (isGiven) options = option.With(options, value);
        }
        return problems.Count > 0 ? (null, problems) : (options, []);
    }
}
