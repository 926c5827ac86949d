using System.Globalization;
using System.Text.Json;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The New sweep form's state apart from its markup: the book, what trials start from (a preset or a run), the parameters
/// with their values or ranges as typed, the method, budget, concurrency and early stopping; and the request they make.
/// The checks of the request itself are the API's (<c>SweepPlan</c>), so the page and a script are refused alike.
/// </summary>
public sealed class NewSweepForm
{
    public sealed class Row
    {
        public string Option { get; set; } = "learningRate";
        public SpaceKind Kind { get; set; } = SpaceKind.LogUniform;
        /// <summary>With values: comma-separated, as "0.1, 0.2" or "cosine, constant".</summary>
        public string Values { get; set; } = "";
        public string Low { get; set; } = "";
        public string High { get; set; } = "";
    }

    public int BookId { get; set; }
    public string? Name { get; set; }
    public string Preset { get; set; } = TrainingPresets.Quick.Key;
    /// <summary>A run whose options the trials start from instead of the preset's.</summary>
    public int? BaseRunId { get; set; }
    /// <summary>The Quick CPU search of the README: the rate by log scale, dropout and batch size listed.</summary>
    public List<Row> Rows { get; } =
    [
        new() { Option = "learningRate", Kind = SpaceKind.LogUniform, Low = "0.003", High = "0.03" },
        new() { Option = "dropout", Kind = SpaceKind.Values, Values = "0, 0.1, 0.2" },
        new() { Option = "batchSize", Kind = SpaceKind.Values, Values = "16, 32, 64" },
    ];
    public SweepMethod Method { get; set; } = SweepMethod.Random;
    public int? Trials { get; set; } = 12;
    public int Concurrency { get; set; } = 2;
    public bool EarlyStopping { get; set; } = true;
    public int Eta { get; set; } = 3;
    public int? Seed { get; set; }

    /// <summary>The request the form describes; or what cannot be read as typed (a range's end that is no number).</summary>
    public (CreateSweepRequest? Request, IReadOnlyList<string> Problems) ToRequest()
    {
        var problems = new List<string>();
        var parameters = new Dictionary<string, ParameterSpace>();
        foreach (var row in Rows)
        {
            if (parameters.ContainsKey(row.Option)) { problems.Add($"{row.Option} is listed twice."); continue; }
            if (row.Kind == SpaceKind.Values)
            {
                var values = row.Values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Element).ToArray();
                parameters[row.Option] = new ParameterSpace(Values: values);
                continue;
            }
            if (!double.TryParse(row.Low, NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
                || !double.TryParse(row.High, NumberStyles.Float, CultureInfo.InvariantCulture, out var high))
            {
                problems.Add($"{row.Option}'s range needs two numbers, its low and high ends.");
                continue;
            }
            parameters[row.Option] = ParameterSpace.Range(row.Kind, low, high);
        }
        if (problems.Count > 0) return (null, problems);
        var start = BaseRunId is { } runId ? new SweepBase(RunId: runId) : new SweepBase(Preset);
        return (new CreateSweepRequest(BookId, parameters, string.IsNullOrWhiteSpace(Name) ? null : Name, start, Method,
            EarlyStopping ? new EarlyStopping(Eta: Eta) : null, Trials, Concurrency, Seed), []);
    }

    /// <summary>A typed value as JSON: a number when it reads as one, else the word (a schedule's name).</summary>
    private static JsonElement Element(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonSerializer.SerializeToElement(number, ContractsJson.Options)
            : JsonSerializer.SerializeToElement(text, ContractsJson.Options);
}
