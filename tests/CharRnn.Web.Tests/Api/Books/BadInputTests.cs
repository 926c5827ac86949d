using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace CharRnn.Web.Tests.Api.Books;

/// <summary>Bad input gets a 400 (or 413) whose detail a person understands, and nothing is stored.</summary>
public class BadInputTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-web-bad-").FullName;
    private readonly StudioServer _server;

    public BadInputTests() => _server = new StudioServer(_data);

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(await _server.GetAsync<List<BookDto>>("/api/books"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "books")));
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var response = await _server.UploadAsync([]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The file is empty.", await response.ProblemDetailAsync());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_binary_file_is_refused()
    {
        var response = await _server.UploadAsync([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52], "picture.png");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("looks binary", await response.ProblemDetailAsync());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_with_413()
    {
        var response = await _server.UploadAsync(Encoding.UTF8.GetBytes(new string('a', StudioServer.MaxBookBytes + 1)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", await response.ProblemDetailAsync());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_text_too_short_for_one_batch_is_refused_saying_what_would_fit()
    {
        var book = await _server.UploadBookAsync(StudioClient.Repeated(250)); // 11,250 characters: 1,125 to validate
        var response = await _server.Http.PostAsJsonAsync("/api/runs", new CreateRunRequest(book.Id), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await response.ProblemDetailAsync();
        Assert.StartsWith("The text is too short for one batch: one batch is 128 × 100 = 12,800 characters", detail);
        Assert.Contains("These would fit: batch size 11 or less with sequence length 100; sequence length 8 or less with batch size 128.", detail);
        Assert.Empty(await _server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Fact]
    public async Task An_unknown_book_is_refused()
    {
        var response = await _server.Http.PostAsJsonAsync("/api/runs", new CreateRunRequest(BookId: 999), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("There is no book 999.", await response.ProblemDetailAsync());
        Assert.Empty(await _server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Fact]
    public async Task Options_out_of_range_and_a_missing_gpu_are_refused_each_with_its_reason()
    {
        var book = await _server.UploadBookAsync(StudioClient.Repeated(50));
        var response = await _server.Http.PostAsJsonAsync("/api/runs",
            StudioClient.TinyRun(book.Id, StudioClient.Tiny(1) with { Hidden = 0, Dropout = 1.5, Device = DeviceChoice.Cuda }), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await response.ProblemDetailAsync();
        Assert.Contains("Hidden units must be between 1 and 4,096; it was 0.", detail);
        Assert.Contains("Dropout must be at least 0 and below 1; it was 1.5.", detail);
        Assert.Contains("CUDA was asked for", detail);
        Assert.Empty(await _server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Theory]
    [InlineData("The Fox", 100, 1.0, "The prime contains 2 characters that the model does not know: 'T', 'F'.")]
    [InlineData("the", 0, 1.0, "Length must be between 1 and 100,000 characters; it was 0.")]
    [InlineData("the", 100, 0.0, "Temperature must be between 0.01 and 10; it was 0.")]
    [InlineData("the", 100, 50.0, "Temperature must be between 0.01 and 10; it was 50.")]
    public async Task Sample_requests_out_of_bounds_are_refused(string prime, int length, double temperature, string detail)
    {
        var book = await _server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await _server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1));
        await _server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await _server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[0];

        var response = await _server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint.Id, prime, length, temperature), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(detail, await response.ProblemDetailAsync());
    }

    [Fact]
    public async Task A_sample_from_an_unknown_checkpoint_is_not_found()
    {
        var response = await _server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(12345, "a"), Json.Options);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no checkpoint 12345.", await response.ProblemDetailAsync());
    }

    [Fact]
    public async Task A_book_in_use_cannot_be_deleted_and_an_unused_one_can()
    {
        var used = await _server.UploadBookAsync(StudioClient.Repeated(50));
        var unused = await _server.UploadBookAsync(StudioClient.Repeated(51));
        var run = await _server.CreateRunAsync(StudioClient.TinyRun(used.Id, 1));

        var refused = await _server.Http.DeleteAsync($"/api/books/{used.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is used by a training run", await refused.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Http.DeleteAsync($"/api/books/{unused.Id}")).StatusCode);
        Assert.Single(await _server.GetAsync<List<BookDto>>("/api/books"));
        await _server.WaitForStatusAsync(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task A_corrupt_notebook_checkpoint_is_refused_on_import()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("not a checkpoint")), "file", "rnn.net" } };
        var response = await _server.Http.PostAsync("/api/checkpoints/import", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The file is not a PyTorch checkpoint", await response.ProblemDetailAsync());
        Assert.Empty(await _server.GetAsync<List<CheckpointDto>>("/api/checkpoints"));
    }
}
