using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Checkpoints;

/// <summary>A checkpoint whose file went missing or was damaged is reported as such, answers 404/409 with the reason, and the rest keep working.</summary>
public class DamagedCheckpointTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-damaged-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_damaged_and_a_missing_checkpoint_are_listed_as_such_and_refuse_with_reasons()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoints = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}")).OrderBy(c => c.Step).ToList();
        var (damaged, missing, healthy) = (checkpoints[0], checkpoints[1], checkpoints[^1]);
        string FileOf(CheckpointDto c) => Path.Combine(_data, "checkpoints", run.Id.ToString(), $"step-{c.Step:D7}.safetensors");
        var bytes = await File.ReadAllBytesAsync(FileOf(damaged));
        await File.WriteAllBytesAsync(FileOf(damaged), bytes[..(bytes.Length / 2)]); // cut in half, as a full disk would
        File.Delete(FileOf(missing));

        var listed = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        Assert.Equal(CheckpointState.Damaged, listed.Single(c => c.Id == damaged.Id).State);
        Assert.Equal(CheckpointState.Missing, listed.Single(c => c.Id == missing.Id).State);
        Assert.Equal(CheckpointState.Ok, listed.Single(c => c.Id == healthy.Id).State);
        // The API writes the state as a word, as it always has.
        var json = await server.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/checkpoints?runId={run.Id}");
        Assert.Equal(["damaged", "missing"], json.EnumerateArray().Select(c => c.GetProperty("state").GetString()).Where(s => s != "ok").Order());

        async Task<(HttpStatusCode, string)> Sample(int id)
        {
            var response = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(id, "the", 20, 1, 3, 1), Json.Options);
            return (response.StatusCode, await response.ProblemDetailAsync());
        }
        var (damagedStatus, damagedDetail) = await Sample(damaged.Id);
        Assert.Equal(HttpStatusCode.Conflict, damagedStatus);
        Assert.Contains($"checkpoint {damaged.Id} is damaged", damagedDetail);
        var (missingStatus, missingDetail) = await Sample(missing.Id);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Contains("missing from the data folder", missingDetail);

        Assert.Equal(HttpStatusCode.Conflict, (await server.Http.GetAsync($"/api/checkpoints/{damaged.Id}/file?format=pytorch")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/checkpoints/{missing.Id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/checkpoints/{missing.Id}/file?format=pytorch")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await server.Http.GetAsync($"/api/checkpoints/{damaged.Id}/bits")).StatusCode);

        // The rest keep working, and the Checkpoints page shows which are not.
        var ok = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(healthy.Id, "the", 20, 1, 3, 1), Json.Options);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var page = await server.Http.GetStringAsync("/checkpoints");
        Assert.Contains("data-state=\"damaged\"", page);
        Assert.Contains("data-state=\"missing\"", page);
    }
}
