using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Sampling;

/// <summary>What one request may ask of the server: refused with the limit and the setting that raises it, never a 500.</summary>
public class LimitsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-limits-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static CreateRunRequest Run(int bookId, Func<TrainingOptions, TrainingOptions>? change = null) =>
        StudioClient.TinyRun(bookId, (change ?? (o => o))(StudioClient.Tiny(epochs: 1)));

    [Theory]
    [InlineData(65536, 65536, "Batch size × sequence length is 4,294,967,296; the limit is 262,144", "CharRnn:Limits:MaxBatchCharacters")]
    [InlineData(2048, 1024, "Batch size × sequence length is 2,097,152", "CharRnn:Limits:MaxBatchCharacters")]
    public async Task A_batch_too_large_even_one_that_overflows_32_bits_is_refused_with_its_setting(int batch, int sequence, string detail, string setting)
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));

        foreach (var path in new[] { "/api/runs", "/api/runs/estimate" })
        {
            var response = await server.Http.PostAsJsonAsync(path, Run(book.Id, o => o with { BatchSize = batch, SequenceLength = sequence }), Json.Options);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.ProblemDetailAsync();
            Assert.Contains(detail, problem);
            Assert.Contains(setting, problem);
        }
        Assert.Empty(await server.GetAsync<List<RunDto>>("/api/runs"));
    }

    [Fact]
    public async Task Model_size_epochs_and_name_have_limits_and_a_setting_raises_them()
    {
        using (var server = new StudioServer(_data))
        {
            var book = await server.UploadBookAsync(StudioClient.Repeated(50));
            var hidden = await server.Http.PostAsJsonAsync("/api/runs", Run(book.Id, o => o with { Hidden = 100_000, Layers = 50, Epochs = 5000 }), Json.Options);
            var detail = await hidden.ProblemDetailAsync();
            Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
            Assert.Contains("Hidden size is 100,000; the limit is 2,048 (the setting CharRnn:Limits:MaxHidden raises it)", detail);
            Assert.Contains("CharRnn:Limits:MaxLayers", detail);
            Assert.Contains("CharRnn:Limits:MaxEpochs", detail);

            var named = await server.Http.PostAsJsonAsync("/api/runs", Run(book.Id) with { Name = new string('n', 300) }, Json.Options);
            Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);
            Assert.Contains("CharRnn:Limits:MaxNameCharacters", await named.ProblemDetailAsync());
        }
        using var raised = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxEpochs"] = "5000" });
        var ok = await raised.Http.PostAsJsonAsync("/api/runs/estimate", Run(1, o => o with { Epochs = 5000 }), Json.Options);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_prime_or_length_over_the_limit_is_refused_on_the_api_and_the_hub()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.TrainedCheckpointAsync();

        var prime = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, new string('t', 10_001), 10), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, prime.StatusCode);
        Assert.Contains("CharRnn:Limits:MaxPrimeCharacters", await prime.ProblemDetailAsync());
        var length = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the", 100_001), Json.Options);
        Assert.Contains("CharRnn:Limits:MaxSampleLength", await length.ProblemDetailAsync());

        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<string>("Sample", new SampleRequest(checkpoint, new string('t', 10_001), 10))) { }
        });
        Assert.Contains("CharRnn:Limits:MaxPrimeCharacters", error.Message);
    }

    [Fact]
    public async Task Samplings_beyond_the_limit_wait_briefly_then_get_429_and_a_client_that_leaves_frees_its_place()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxConcurrentSamplingsPerClient"] = "1" });
        var checkpoint = await server.TrainedCheckpointAsync();

        // One long stream holds this client's only place.
        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        using var stop = new CancellationTokenSource();
        var stream = hub.StreamAsync<string>("Sample", new SampleRequest(checkpoint, "the", 100_000), stop.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        var refused = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the", 10), Json.Options);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("CharRnn:Limits:MaxConcurrentSamplingsPerClient", await refused.ProblemDetailAsync());

        // The stream's client goes away: its place comes back, and the next request is served.
        stop.Cancel();
        try { while (await stream.MoveNextAsync()) { } } catch (OperationCanceledException) { }
        var served = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the", 10), Json.Options);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        // A plain request whose client gives up stops drawing too, and frees its place.
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the", 100_000), Json.Options, impatient.Token));
        var after = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the", 10), Json.Options);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Hostile_upload_names_store_nothing_outside_the_data_folder_and_show_as_plain_short_names()
    {
        using var server = new StudioServer(_data);
        var names = new Dictionary<string, string>
        {
            ["../../etc/passwd"] = "passwd",
            ["..\\..\\windows\\win.ini"] = "win",
            [new string('x', 300) + ".txt"] = new string('x', 200) + "…",
            ["bell\u0007and\u0000nul.txt"] = "bellandnul",
            ["invoice\u202Etxt.exe"] = "invoicetxt",
        };
        var before = Directory.GetFiles(Path.GetDirectoryName(_data)!).Length;
        foreach (var (hostile, shown) in names)
        {
            // As the form's name field: an HTTP client refuses control characters in a file name's header, a field carries anything.
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(StudioClient.Repeated(5))), "file", "book.txt" },
                { new StringContent(hostile), "name" },
            };
            var response = await server.Http.PostAsync("/api/books", form);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(shown, (await response.Content.ReadFromJsonAsync<BookDto>(Json.Options))!.Name);
        }

        Assert.Equal(before, Directory.GetFiles(Path.GetDirectoryName(_data)!).Length); // nothing written beside the data folder
        var stored = Directory.GetFiles(Path.Combine(_data, "books"));
        Assert.Equal(names.Count, stored.Length);
        Assert.All(stored, f => Assert.Matches("^[0-9a-f]{32}\\.txt$", Path.GetFileName(f)));
    }

    [Fact]
    public async Task An_upload_without_a_content_length_is_held_to_the_limit_and_other_endpoints_take_small_bodies()
    {
        using var server = new StudioServer(_data);
        // Chunked: the server cannot know the size in advance, and stops reading at the limit.
        await AssertRefusedAsTooLargeAsync(() =>
        {
            var form = new MultipartFormDataContent { { new StreamContent(new MemoryStream(new byte[StudioServer.MaxBookBytes * 3])), "file", "big.txt" } };
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/books") { Content = form };
            request.Headers.TransferEncodingChunked = true;
            return server.Http.SendAsync(request);
        }, "CharRnn:MaxBookBytes");
        Assert.Empty(await server.GetAsync<List<BookDto>>("/api/books"));
        Assert.Empty(Directory.Exists(Path.Combine(_data, "books")) ? Directory.GetFiles(Path.Combine(_data, "books")) : []);

        // A 3 MB JSON body where a few hundred bytes are expected.
        await AssertRefusedAsTooLargeAsync(() => server.Http.PostAsync("/api/samples",
            new StringContent($"{{\"checkpointId\":1,\"prime\":\"{new string('a', 3_000_000)}\",\"length\":10}}", System.Text.Encoding.UTF8, "application/json")), null);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode); // the server goes on
    }

    /// <summary>
    /// Sends a body over a limit. The server answers 413 and closes the connection while the client may still be sending,
    /// so the client sees the 413 or a connection closed under it (a broken pipe), by timing: both are the refusal. A 413
    /// that arrives must name the setting that raises the limit (<paramref name="detail"/>).
    /// </summary>
    private static async Task AssertRefusedAsTooLargeAsync(Func<Task<HttpResponseMessage>> send, string? detail)
    {
        HttpResponseMessage response;
        try { response = await send(); }
        catch (HttpRequestException e) when (e.InnerException is IOException or System.Net.Sockets.SocketException) { return; }
        using (response)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            if (detail is not null) Assert.Contains(detail, await response.ProblemDetailAsync());
        }
    }
}
