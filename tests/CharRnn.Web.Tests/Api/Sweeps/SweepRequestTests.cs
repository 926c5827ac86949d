using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace CharRnn.Web.Tests.Api.Sweeps;

/// <summary>What <c>POST /api/sweeps</c> accepts: a JSON or YAML document, and a clear 400 with nothing queued for anything it cannot run.</summary>
public class SweepRequestTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-sweep-request-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static ParameterSpace Range(string kind, double low, double high) => kind switch
    {
        "uniform" => new(Uniform: [low, high]),
        "logUniform" => new(LogUniform: [low, high]),
        _ => new(IntUniform: [(long)low, (long)high]),
    };

    public static TheoryData<string, string> Refusals => new()
    {
        { "empty space", "The search space is empty" },
        { "low above high", "learningRate's logUniform range runs from 0.03 down to 0.003: give its low end first." },
        { "log over zero", "learningRate's logUniform range starts at 0: a log scale needs values above 0." },
        { "log below zero", "dropout's logUniform range starts at -0.1: a log scale needs values above 0." },
        { "budget over the limit", "The budget is 500 trials; the limit is 200 (the setting CharRnn:Limits:MaxSweepTrials raises it)." },
        { "concurrency over the limit", "Concurrency must be between 1 and 8; it was 9 (the setting CharRnn:Limits:MaxSweepConcurrency raises it)." },
        { "unknown option", "There is no option 'learnigRate'; the options are hidden," },
        { "grid over the budget", "The grid has 9 combinations, more than the budget of 4 trials: raise trials, drop some values, or use method random." },
        { "grid with a range", "A grid needs a list of values for every parameter; learningRate has a range" },
        { "random without a budget", "A random search needs a budget" },
        { "two kinds of space", "dropout needs exactly one of values, uniform, logUniform or intUniform; it has 2." },
        { "a range on a choice", "schedule is a choice (constant, cosine, linear): list its values instead of a range." },
        { "a value out of bounds", "Trial 2 (dropout 1.5): Dropout must be at least 0 and below 1; it was 1.5." },
        { "no such book", "There is no book 999." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_sweep_that_cannot_run_gets_a_clear_400_and_nothing_is_queued(string @case, string expected)
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(200));
        var good = new CreateSweepRequest(book.Id, new() { ["learningRate"] = new(LogUniform: [0.003, 0.03]) }, Base: SweepClient.Base("quick"), Method: SweepMethod.Random, Trials: 4);
        var request = @case switch
        {
            "empty space" => good with { Parameters = [] },
            "low above high" => good with { Parameters = new() { ["learningRate"] = Range("logUniform", 0.03, 0.003) } },
            "log over zero" => good with { Parameters = new() { ["learningRate"] = Range("logUniform", 0, 0.03) } },
            "log below zero" => good with { Parameters = new() { ["dropout"] = Range("logUniform", -0.1, 0.5) } },
            "budget over the limit" => good with { Trials = 500 },
            "concurrency over the limit" => good with { Concurrency = 9 },
            "unknown option" => good with { Parameters = new() { ["learnigRate"] = Range("uniform", 0.001, 0.01) } },
            "grid over the budget" => good with { Method = SweepMethod.Grid, Parameters = new() { ["dropout"] = SweepClient.Values(0, 0.1, 0.2), ["hidden"] = SweepClient.Values(8, 16, 32) } },
            "grid with a range" => good with { Method = SweepMethod.Grid, Trials = null },
            "random without a budget" => good with { Trials = null },
            "two kinds of space" => good with { Parameters = new() { ["dropout"] = new(Values: SweepClient.Values(0.1).Values, Uniform: [0, 0.5]) } },
            "a range on a choice" => good with { Parameters = new() { ["schedule"] = Range("uniform", 0, 1) } },
            "a value out of bounds" => good with { Method = SweepMethod.Grid, Trials = null, Parameters = new() { ["dropout"] = SweepClient.Values(0.2, 1.5) } },
            "no such book" => good with { BookId = 999 },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var response = await server.Http.PostAsJsonAsync("/api/sweeps", request, Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync());
        Assert.Empty(await server.GetAsync<List<SweepDto>>("/api/sweeps"));
        Assert.Empty(await server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Fact]
    public async Task A_yaml_document_posted_as_is_queues_the_same_trials_as_its_json_and_a_broken_one_says_where()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(200));
        var yaml = $"""
            # Two rates by log scale, two dropouts: four random trials, two at once, stopped early by successive halving.
            bookId: {book.Id}
            name: yaml sweep
            base:
              preset: quick
              options: {"{"} hidden: 16, layers: 1, batchSize: 4, sequenceLength: 10, epochs: 1, device: cpu {"}"}
            parameters:
              learningRate: {"{"} logUniform: [0.003, 0.03] {"}"}
              dropout:
                values: [0, 0.2]
              schedule:
                values: ["cosine", constant]
            method: random
            earlyStopping: {"{"} kind: asha, eta: 3 {"}"}
            trials: 4
            concurrency: 2
            seed: 7
            """;

        var created = await server.Http.PostAsync("/api/sweeps", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var sweep = (await created.Content.ReadFromJsonAsync<SweepDto>(Json.Options))!;
        await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/cancel", null);

        Assert.Equal(("yaml sweep", 4, 2, 7), (sweep.Name, sweep.Trials.Count, sweep.Request.Concurrency, sweep.Request.Seed));
        Assert.Equal(3, sweep.Request.EarlyStopping!.Eta);
        Assert.All(sweep.Trials, t =>
        {
            var rate = t.Parameters["learningRate"].GetDouble();
            Assert.InRange(rate, 0.003, 0.03);
            Assert.Contains(t.Parameters["dropout"].GetDouble(), new[] { 0, 0.2 });
            Assert.Contains(t.Parameters["schedule"].GetString(), new[] { "cosine", "constant" });
        });
        // The trials are ordinary runs: the options laid over the preset, the drawn values, and one seed for all.
        var run = await server.GetAsync<RunDto>($"/api/runs/{sweep.Trials[1].RunId}");
        Assert.Equal((16, 1, sweep.Id), (run.Options.Hidden, run.Options.Layers, run.SweepId));
        Assert.Equal(sweep.Trials[1].Parameters["learningRate"].GetDouble(), run.Options.LearningRate);
        Assert.Single(sweep.Trials.Select(t => server.GetAsync<RunDto>($"/api/runs/{t.RunId}").Result.Options.Seed).Distinct());

        // The same seed draws the same trials again.
        var again = (await (await server.Http.PostAsync("/api/sweeps", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).Content.ReadFromJsonAsync<SweepDto>(Json.Options))!;
        await server.Http.PostAsync($"/api/sweeps/{again.Id}/cancel", null);
        Assert.Equal(sweep.Trials.Select(t => t.Parameters["learningRate"].GetDouble()), again.Trials.Select(t => t.Parameters["learningRate"].GetDouble()));

        var broken = await server.Http.PostAsync("/api/sweeps", new StringContent("bookId: 1\nparameters: [unclosed", Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("The sweep's YAML cannot be read at line", await broken.ProblemDetailAsync());
    }

    [Fact]
    public async Task Cancelling_a_sweep_takes_its_queued_trials_off_the_queue_and_its_page_data_says_cancelled()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(200));
        var sweep = await server.CreateSweepAsync(new CreateSweepRequest(book.Id, new() { ["dropout"] = SweepClient.Values(0, 0.1, 0.2) },
            Base: SweepClient.Base("quick", ("hidden", 16), ("layers", 1), ("batchSize", 4), ("sequenceLength", 10), ("epochs", 50), ("device", "cpu"))));

        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/cancel", null)).StatusCode);
        var after = await server.WaitForSweepAsync(sweep.Id);
        foreach (var trial in after.Trials) await server.WaitForStatusAsync(trial.RunId, RunStatus.Cancelled);

        Assert.Equal(SweepStatus.Cancelled, after.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/sweeps/999")).StatusCode);
        var rerun = await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/rerun-failed", null);
        Assert.Equal(HttpStatusCode.Conflict, rerun.StatusCode);
        Assert.Contains("nothing to rerun", await rerun.ProblemDetailAsync());
    }
}
