using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace CharRnn.Web.Tests.Api.Sweeps;

/// <summary>
/// What <c>POST /api/sweeps</c> accepts: a JSON or YAML document, and a clear 400 with nothing queued for anything it
/// cannot run. Each of the plan's refusals is a unit test (SweepPlanTests); here are the service's own (a missing book, a
/// trial that breaks a run's rules) and one of the plan's, through the API, on one server for the class.
/// </summary>
public class SweepRequestTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly StudioServer _server = shared.Server;

    public static TheoryData<string, string> Refusals => new()
    {
        { "concurrency over the limit", "Concurrency must be between 1 and 8; it was 9 (the setting CharRnn:Limits:MaxSweepConcurrency raises it)." },
        { "a value out of bounds", "Trial 2 (dropout 1.5): Dropout must be at least 0 and below 1; it was 1.5." },
        { "no such book", "There is no book 999." },
        { "no such preset", "There is no preset 'fastest'; the presets are notebook, fast, hour, quick, finetune." },
        { "no such base run", "The base run 999 does not exist." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_sweep_that_cannot_run_gets_a_clear_400_and_nothing_is_queued(string @case, string expected)
    {
        var book = await _server.UploadBookAsync(StudioClient.Repeated(200));
        var good = new CreateSweepRequest(book.Id, new() { ["learningRate"] = new(LogUniform: [0.003, 0.03]) }, Base: SweepClient.Base("quick"), Method: SweepMethod.Random, Trials: 4);
        var request = @case switch
        {
            "concurrency over the limit" => good with { Concurrency = 9 },
            "a value out of bounds" => good with { Method = SweepMethod.Grid, Trials = null, Parameters = new() { ["dropout"] = SweepClient.Values(0.2, 1.5) } },
            "no such book" => good with { BookId = 999 },
            "no such preset" => good with { Base = new SweepBase("fastest") },
            "no such base run" => good with { Base = new SweepBase(RunId: 999) },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        var (sweeps, runs) = ((await _server.GetAsync<List<SweepDto>>("/api/sweeps")).Count, (await _server.GetAsync<List<RunDto>>("/api/runs")).Count);

        var response = await _server.Http.PostAsJsonAsync("/api/sweeps", request, Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync());
        Assert.Equal(sweeps, (await _server.GetAsync<List<SweepDto>>("/api/sweeps")).Count);
        Assert.Equal(runs, (await _server.GetAsync<List<RunDto>>("/api/runs")).Count);
    }

    [Fact]
    public async Task A_yaml_document_posted_as_is_queues_the_same_trials_as_its_json_and_a_broken_one_says_where()
    {
        var server = _server;
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
        var server = _server;
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
