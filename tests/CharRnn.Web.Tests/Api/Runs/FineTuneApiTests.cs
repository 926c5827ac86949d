using System.Net;
using System.Net.Http.Json;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>
/// <c>POST /api/runs</c> with <c>initFrom</c>: a run fine-tuned from a checkpoint of a run on another book, its alphabet
/// grown, its lineage on the API, its start kept when the source goes, evaluated on its source's book too; and a clear
/// 400, nothing queued, for bad input.
/// </summary>
public class FineTuneApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-finetune-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>A 1×16 model trained on the verse: its run and its last checkpoint.</summary>
    private static async Task<(RunDto Run, CheckpointDto Checkpoint)> SourceAsync(StudioServer server)
    {
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        return (run, (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1]);
    }

    [Fact]
    public async Task A_run_fine_tuned_on_another_book_takes_the_checkpoints_shape_grows_its_alphabet_and_shows_its_lineage()
    {
        using var server = new StudioServer(_data);
        var (source, checkpoint) = await SourceAsync(server);
        var exclaimed = await server.UploadBookAsync(StudioClient.Repeated(50).Replace('.', '!'));

        // No shape given: the checkpoint's (1×16), whatever the preset says (the notebook's 2×512).
        var created = await server.CreateRunAsync(new CreateRunRequest(exclaimed.Id)
        {
            Options = new() { ["initFrom"] = Json.Element(checkpoint.Id), ["epochs"] = Json.Element(1), ["batchSize"] = Json.Element(4), ["sequenceLength"] = Json.Element(10), ["evaluateEvery"] = Json.Element(10), ["device"] = Json.Element("cpu") },
        });
        // The source goes before the fine-tune trains: the fine-tune kept a copy of its start.
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/runs/{source.Id}")).StatusCode);
        var done = await server.WaitForStatusAsync(created.Id, RunStatus.Completed, RunStatus.Failed);

        Assert.True(done.Status == RunStatus.Completed, done.Error);
        Assert.Equal((1, 16, checkpoint.Id), (done.Options.Layers, done.Options.Hidden, done.Options.InitFrom));
        Assert.Equal(new FineTuneLineage(checkpoint.Id, source.Id, source.BookId, 1), done.FineTunedFrom);
        // Evaluated on the source's book too, by default: every character of it is in the grown alphabet.
        var sourceBook = (await server.GetAsync<List<BookDto>>("/api/books")).Single(b => b.Id == source.BookId);
        Assert.Equal([new EvaluationBook(source.BookId, sourceBook.Name, 0)], done.AlsoEvaluatedOn!);
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{done.Id}/metrics");
        Assert.All(metrics.Where(m => m.ValLoss is not null), m => Assert.Equal(source.BookId, Assert.Single(m.OtherBooks!).BookId));
        Assert.All(metrics.Where(m => m.ValLoss is null), m => Assert.Null(m.OtherBooks));
        var tuned = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={done.Id}"))[^1];
        var read = CheckpointFile.Read(await server.Http.GetByteArrayAsync($"/api/checkpoints/{tuned.Id}/file?format=safetensors"));
        Assert.Equal("!", read.Vocabulary.Tokens[^1]);
        Assert.Equal(30, read.Vocabulary.Count); // the verse's 29 and "!"; "." stays though the new book lacks it
        // The new character samples like any other.
        var sample = await server.Http.PostAsJsonAsync("/api/samples", new { checkpointId = tuned.Id, prime = "dog!", length = 20, seed = 1 }, Json.Options);
        Assert.Equal(HttpStatusCode.OK, sample.StatusCode);
    }

    [Fact]
    public async Task A_run_also_evaluated_on_another_book_has_its_loss_at_each_whole_split_evaluation_reading_past_what_the_model_lacks()
    {
        using var server = new StudioServer(_data);
        var verse = await server.UploadBookAsync(StudioClient.Repeated(50));
        var exclaimed = await server.UploadBookAsync(StudioClient.Repeated(50).Replace('.', '!'));
        // Subset estimates between epoch ends: only the whole-split evaluations read the other book.
        var request = StudioClient.TinyRun(verse.Id, StudioClient.Tiny(epochs: 2, evaluateEvery: 5) with { EvaluationBatches = 1 }) with { AlsoEvaluateOn = [exclaimed.Id] };

        var done = await server.WaitForStatusAsync((await server.CreateRunAsync(request)).Id, RunStatus.Completed, RunStatus.Failed);

        Assert.True(done.Status == RunStatus.Completed, done.Error);
        var text = StudioClient.Repeated(50).Replace('.', '!');
        var split = text[(int)(text.Length * 0.9)..];
        var bangs = split.Count(c => c == '!');
        Assert.True(bangs > 0);
        Assert.Equal([new EvaluationBook(exclaimed.Id, exclaimed.Name, bangs)], done.AlsoEvaluatedOn!);
        var metrics = await server.GetAsync<List<MetricDto>>($"/api/runs/{done.Id}/metrics");
        var withOthers = metrics.Where(m => m.OtherBooks is not null).ToList();
        var stepsPerEpoch = done.TotalSteps / 2;
        Assert.Equal([stepsPerEpoch, 2 * stepsPerEpoch], withOthers.Select(m => m.Step));
        Assert.All(withOthers, m => Assert.InRange(Assert.Single(m.OtherBooks!).ValLoss, 0, 10));
        Assert.Contains(metrics, m => m.ValLoss is not null && m.OtherBooks is null); // the estimates between
    }

    [Fact]
    public async Task A_fine_tunes_remedy_is_a_fine_tune_of_the_same_start_evaluated_on_the_same_books()
    {
        using var server = new StudioServer(_data);
        var verse = await server.UploadBookAsync(StudioClient.Repeated(50));
        var source = await server.CreateRunAsync(StudioClient.TinyRun(verse.Id, StudioClient.Tiny(epochs: 1) with { Hidden = 64 }));
        await server.WaitForStatusAsync(source.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={source.Id}"))[^1];
        var anna = await server.UploadBookAsync(SweepClient.Anna(20_000));
        // RunHealthTests' rate of one, which sticks or diverges: a warning, so a remedy.
        var options = StudioClient.Tiny(epochs: 3) with { LearningRate = 1.0, Hidden = 64, BatchSize = 8, SequenceLength = 20, EvaluateEvery = 100, InitFrom = checkpoint.Id };
        var run = await server.CreateRunAsync(CreateRunRequest.For(anna.Id, options, "too fast"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.NotNull(ended.Health);

        var remedy = await server.Http.PostAsync($"/api/runs/{run.Id}/remedy", null);

        Assert.Equal(HttpStatusCode.Created, remedy.StatusCode);
        var next = (await remedy.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
        await server.Http.PostAsync($"/api/runs/{next.Id}/cancel", null);
        Assert.Equal((checkpoint.Id, 0.5), (next.Options.InitFrom, next.Options.LearningRate));
        Assert.Equal(ended.FineTunedFrom, next.FineTunedFrom);
        Assert.Equal([verse.Id], next.AlsoEvaluatedOn!.Select(b => b.BookId));
        Assert.True(File.Exists(Path.Combine(_data, "checkpoints", next.Id.ToString(), "start.safetensors")));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "no such checkpoint", "There is no checkpoint 999 to fine-tune from." },
        { "another shape", "is a 1×16 model and the request asks for 2×64: a fine-tune keeps the checkpoint's shape" },
        { "an alphabet over the limit", "The book's alphabet (distinct characters) is 30; the limit is 29 (the setting CharRnn:Limits:MaxVocabulary raises it)." },
        { "no such book to also evaluate on", "There is no book 999 to also evaluate on." },
        { "its own book to also evaluate on", "the run's own book: its validation loss is the run's." },
        { "a checkpoint file that is not one", "cannot be fine-tuned: " },
        { "the fine-tune preset without a checkpoint", "The Fine-tune preset continues a checkpoint: give the checkpoint to start from (initFrom, or --init-from), or choose another preset." },
        { "a book too short to also evaluate on", "is too short to evaluate on: its validation split (10 %) is 4 characters, less than one batch of 4 × 10." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_fine_tune_that_cannot_start_gets_a_clear_400_and_nothing_is_queued(string @case, string expected)
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxVocabulary"] = "29" });
        var (source, checkpoint) = await SourceAsync(server);
        if (@case == "a checkpoint file that is not one")
            foreach (var file in Directory.GetFiles(Path.Combine(_data, "checkpoints", source.Id.ToString()), "*.safetensors")) File.WriteAllText(file, "not a checkpoint");
        var exclaimed = await server.UploadBookAsync(StudioClient.Repeated(50).Replace('.', '!'));
        var verse = await server.UploadBookAsync(StudioClient.Repeated(60));
        var tooShort = await server.UploadBookAsync("A line of thirty-three characters");
        var options = @case switch
        {
            "no such checkpoint" => new Dictionary<string, System.Text.Json.JsonElement> { ["initFrom"] = Json.Element(999) },
            "another shape" => new() { ["initFrom"] = Json.Element(checkpoint.Id), ["layers"] = Json.Element(2), ["hidden"] = Json.Element(64) },
            "the fine-tune preset without a checkpoint" => new(),
            _ => new() { ["initFrom"] = Json.Element(checkpoint.Id), ["batchSize"] = Json.Element(4), ["sequenceLength"] = Json.Element(10) },
        };
        IReadOnlyList<int>? alsoEvaluateOn = @case switch
        {
            "no such book to also evaluate on" => [999],
            "its own book to also evaluate on" => [verse.Id],
            "a book too short to also evaluate on" => [tooShort.Id],
            _ => null,
        };
        var runs = (await server.GetAsync<List<RunDto>>("/api/runs")).Count;

        var response = await server.Http.PostAsJsonAsync("/api/runs",
            new CreateRunRequest(@case == "an alphabet over the limit" ? exclaimed.Id : verse.Id, Preset: @case.Contains("preset") ? "finetune" : null)
            {
                Options = options, AlsoEvaluateOn = alsoEvaluateOn,
            }, Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync());
        Assert.Equal(runs, (await server.GetAsync<List<RunDto>>("/api/runs")).Count);
    }
}
