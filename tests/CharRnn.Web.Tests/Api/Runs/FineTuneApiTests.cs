using System.Net;
using System.Net.Http.Json;
using CharRnn.Inference.Checkpoints;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>
/// <c>POST /api/runs</c> with <c>initFrom</c>: a run fine-tuned from a checkpoint of a run on another book, its alphabet
/// grown, its lineage on the API, its start kept when the source goes; and a clear 400, nothing queued, for bad input.
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
        var tuned = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={done.Id}"))[^1];
        var read = CheckpointFile.Read(await server.Http.GetByteArrayAsync($"/api/checkpoints/{tuned.Id}/file?format=safetensors"));
        Assert.Equal("!", read.Vocabulary.Tokens[^1]);
        Assert.Equal(30, read.Vocabulary.Count); // the verse's 29 and "!"; "." stays though the new book lacks it
        // The new character samples like any other.
        var sample = await server.Http.PostAsJsonAsync("/api/samples", new { checkpointId = tuned.Id, prime = "dog!", length = 20, seed = 1 }, Json.Options);
        Assert.Equal(HttpStatusCode.OK, sample.StatusCode);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "no such checkpoint", "There is no checkpoint 999 to fine-tune from." },
        { "another shape", "is a 1×16 model and the request asks for 2×64: a fine-tune keeps the checkpoint's shape" },
        { "an alphabet over the limit", "The book's alphabet (distinct characters) is 30; the limit is 29 (the setting CharRnn:Limits:MaxVocabulary raises it)." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_fine_tune_that_cannot_start_gets_a_clear_400_and_nothing_is_queued(string @case, string expected)
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxVocabulary"] = "29" });
        var (_, checkpoint) = await SourceAsync(server);
        var exclaimed = await server.UploadBookAsync(StudioClient.Repeated(50).Replace('.', '!'));
        var verse = await server.UploadBookAsync(StudioClient.Repeated(60));
        var options = @case switch
        {
            "no such checkpoint" => new Dictionary<string, System.Text.Json.JsonElement> { ["initFrom"] = Json.Element(999) },
            "another shape" => new() { ["initFrom"] = Json.Element(checkpoint.Id), ["layers"] = Json.Element(2), ["hidden"] = Json.Element(64) },
            _ => new() { ["initFrom"] = Json.Element(checkpoint.Id) },
        };
        var runs = (await server.GetAsync<List<RunDto>>("/api/runs")).Count;

        var response = await server.Http.PostAsJsonAsync("/api/runs", new CreateRunRequest(@case == "an alphabet over the limit" ? exclaimed.Id : verse.Id) { Options = options }, Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync());
        Assert.Equal(runs, (await server.GetAsync<List<RunDto>>("/api/runs")).Count);
    }
}
