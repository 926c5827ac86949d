using System.Net;

namespace CharRnn.Web.Tests.Api.Checkpoints;

/// <summary><c>GET /api/checkpoints/{id}/bits</c> on a real server.</summary>
public class BitsApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-bits-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_trained_checkpoint_is_scored_on_its_books_held_out_passage_and_on_a_given_text()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");

        var late = await server.GetAsync<BitsDto>($"/api/checkpoints/{checkpoints[^1].Id}/bits");
        var early = await server.GetAsync<BitsDto>($"/api/checkpoints/{checkpoints[0].Id}/bits");
        var given = await server.GetAsync<BitsDto>($"/api/checkpoints/{checkpoints[^1].Id}/bits?text={Uri.EscapeDataString("the lazy dog")}");

        // 2,250 characters, 10 % held out: 225 characters, 224 predicted.
        Assert.Equal(224, late.Characters);
        Assert.True(late.BitsPerChar < early.BitsPerChar, $"{late.BitsPerChar} after 100 steps, {early.BitsPerChar} after 10");
        // The validation loss is the same cross-entropy in nats, over batches read from zero states: close, not equal.
        Assert.InRange(late.BitsPerChar * Math.Log(2), 0, 2 * checkpoints[^1].ValLoss!.Value + 0.5);
        Assert.Equal(11, given.Characters);
    }

    [Fact]
    public async Task Bad_requests_get_the_reason()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1];

        var unknown = await server.Http.GetAsync("/api/checkpoints/999/bits");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var foreign = await server.Http.GetAsync($"/api/checkpoints/{checkpoint.Id}/bits?text=XYZ%20abc");
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("'X'", await foreign.ProblemDetailAsync());
        var single = await server.Http.GetAsync($"/api/checkpoints/{checkpoint.Id}/bits?text=a");
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Contains("at least two characters", await single.ProblemDetailAsync());
    }
}
