using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CharRnn.Web.Features.Access;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Access;

/// <summary>An exposed app (an owner token set): changes and server compute need the token; reading stays open.</summary>
public class AccessControlTests : IDisposable
{
    private const string Token = "the-owner-token-for-tests";
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-access-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private StudioServer Exposed() => new(_data, settings: new Dictionary<string, string> { ["CharRnn:OwnerToken"] = Token });

    private static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task Every_change_and_server_compute_answers_401_without_the_token_and_works_with_it()
    {
        using var server = Exposed();
        var (book, run, checkpoint) = await TrainedAsync(server);

        HttpContent Json(object body) => JsonContent.Create(body, options: Support.Json.Options);
        HttpContent Upload() => new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(StudioClient.Repeated(10))), "file", "b.txt" } };
        var guarded = new (HttpMethod Method, string Path, Func<HttpContent?> Body)[]
        {
            (HttpMethod.Post, "/api/books", Upload),
            (HttpMethod.Post, "/api/runs", () => Json(StudioClient.TinyRun(book.Id, 1))),
            (HttpMethod.Post, "/api/runs/estimate", () => Json(StudioClient.TinyRun(book.Id, 1))),
            (HttpMethod.Post, $"/api/runs/{run.Id}/cancel", () => null),
            (HttpMethod.Post, $"/api/runs/{run.Id}/resume", () => null),
            (HttpMethod.Post, "/api/samples", () => Json(new SampleRequest(checkpoint.Id, "the", 10, 1, 3, 1))),
            (HttpMethod.Post, "/api/passages", () => Json(new PassageRequest(checkpoint.Id, "the", 10, 1, 3, 1, "the text"))),
            (HttpMethod.Get, $"/api/checkpoints/{checkpoint.Id}/bits", () => null),
            (HttpMethod.Post, "/api/checkpoints/import", Upload),
            (HttpMethod.Delete, $"/api/books/{book.Id}", () => null),
            (HttpMethod.Delete, $"/api/runs/{run.Id}", () => null),
        };
        foreach (var (method, path, body) in guarded)
        {
            var anonymous = await server.Http.SendAsync(Request(method, path, body()));
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without the token: {anonymous.StatusCode}");
            var wrong = await server.Http.SendAsync(Request(method, path, body(), bearer: "not-it"));
            Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with a wrong token: {wrong.StatusCode}");
        }
        // Reading stays open.
        foreach (var path in new[] { "/api/books", "/api/runs", $"/api/runs/{run.Id}/metrics", "/api/checkpoints", "/health" })
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(path)).StatusCode);
        foreach (var (method, path, body) in guarded)
        {
            var owner = await server.Http.SendAsync(Request(method, path, body(), bearer: Token));
            Assert.True(owner.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {path} with the token: {owner.StatusCode}");
        }
    }

    [Fact]
    public async Task The_sampling_hub_needs_the_token_and_the_training_hub_lets_anyone_watch()
    {
        using var server = Exposed();
        var (book, run, checkpoint) = await TrainedAsync(server);

        await using var anonymous = server.Hub("/hubs/sampling");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var owner = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/sampling"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token)).Build();
        await owner.StartAsync();
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in owner.StreamAsync<string>("Sample", new SampleRequest(checkpoint.Id, "the", 50, 1, 3, 1))) text.Append(chunk);
        Assert.Equal(53, text.Length);

        await using var watcher = server.Hub("/hubs/training");
        await watcher.StartAsync();
        Assert.Equal(RunStatus.Completed, (await watcher.InvokeAsync<RunSnapshot>("Watch", run.Id)).Run.Status);
    }

    [Fact]
    public async Task Signing_in_with_the_token_sets_a_cookie_that_pages_and_the_api_accept_and_passages_stay_public()
    {
        using var server = Exposed();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = server.BaseAddress };

        var page = await browser.GetAsync("/runs/new");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.OriginalString.Replace(server.BaseAddress.ToString(), "/"));
        var wrong = await browser.GetAsync("/account/signin?token=guess&returnUrl=/runs/new");
        Assert.Contains("failed=true", wrong.Headers.Location!.OriginalString);

        var signIn = await browser.GetAsync("/account/signin?token=" + Token + "&returnUrl=/runs/new");
        Assert.Equal("/runs/new", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/runs/new")).StatusCode);
        var upload = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(StudioClient.Repeated(50))), "file", "b.txt" } };
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsync("/api/books", upload)).StatusCode);

        // A shared passage opens for anyone.
        var book = (await server.GetAsync<List<BookDto>>("/api/books"))[0];
        var run = await CreateRunAsync(server, book.Id, Token);
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1];
        var created = await browser.PostAsJsonAsync("/api/passages", new PassageRequest(checkpoint.Id, "the", 10, 1, 3, 1, "a shared text"), Json.Options);
        var passage = (await created.Content.ReadFromJsonAsync<PassageDto>(Json.Options))!;
        var open = await server.Http.GetStringAsync(passage.Url);
        Assert.Contains("a shared text", open);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/runs/{run.Id}")).StatusCode);
    }

    [Fact]
    public async Task With_private_reading_a_read_only_link_opens_one_run_without_buttons_until_it_is_revoked()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:OwnerToken"] = Token, ["CharRnn:PrivateRead"] = "true" });
        var book = await UploadAsync(server, Token);
        var run = await CreateRunAsync(server, book.Id, Token);
        foreach (var path in new[] { "/api/runs", $"/api/runs/{run.Id}", $"/api/runs/{run.Id}/metrics", "/api/books", "/api/checkpoints" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(Request(HttpMethod.Get, path, bearer: Token))).StatusCode);
        }
        Assert.Contains("This run is private", await server.Http.GetStringAsync($"/runs/{run.Id}"));

        var created = await server.Http.SendAsync(Request(HttpMethod.Post, $"/api/runs/{run.Id}/links", bearer: Token));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = (await created.Content.ReadFromJsonAsync<ReadOnlyLinkDto>(Json.Options))!.Url;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostAsync($"/api/runs/{run.Id}/links", null)).StatusCode);

        var watched = await server.Http.GetStringAsync(link);
        Assert.DoesNotContain("This run is private", watched);
        Assert.Contains("tiny", watched); // the run's name
        Assert.DoesNotContain("data-cancel", watched);
        Assert.DoesNotContain("data-resume", watched);
        Assert.Contains("This run is private", await server.Http.GetStringAsync(link.Replace("key=", "key=x")));
        Assert.Contains("This run is private", await server.Http.GetStringAsync(link.Replace($"/runs/{run.Id}", "/runs/999")));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(Request(HttpMethod.Delete, $"/api/runs/{run.Id}/links", bearer: Token))).StatusCode);
        Assert.Contains("This run is private", await server.Http.GetStringAsync(link));
    }

    [Fact]
    public async Task With_private_reading_a_sweeps_read_only_link_opens_its_page_without_buttons_until_it_is_revoked()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:OwnerToken"] = Token, ["CharRnn:PrivateRead"] = "true" });
        var book = await UploadAsync(server, Token);
        var request = new CreateSweepRequest(book.Id, new() { ["dropout"] = SweepClient.Values(0, 0.1) }, Name: "private sweep",
            Base: SweepClient.Base("quick", ("hidden", 16), ("layers", 1), ("batchSize", 4), ("sequenceLength", 10), ("epochs", 1), ("device", "cpu")));
        var posted = await server.Http.SendAsync(Request(HttpMethod.Post, "/api/sweeps", JsonContent.Create(request, options: Json.Options), bearer: Token));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var sweep = (await posted.Content.ReadFromJsonAsync<SweepDto>(Json.Options))!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync($"/api/sweeps/{sweep.Id}")).StatusCode);
        Assert.Contains("This sweep is private", await server.Http.GetStringAsync($"/sweeps/{sweep.Id}"));

        var created = await server.Http.SendAsync(Request(HttpMethod.Post, $"/api/sweeps/{sweep.Id}/links", bearer: Token));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = (await created.Content.ReadFromJsonAsync<ReadOnlyLinkDto>(Json.Options))!.Url;
        Assert.StartsWith($"/sweeps/{sweep.Id}?key=", link);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostAsync($"/api/sweeps/{sweep.Id}/links", null)).StatusCode);

        var watched = await server.Http.GetStringAsync(link);
        Assert.Contains("private sweep", watched);
        Assert.DoesNotContain("cancel-sweep", watched);
        Assert.DoesNotContain("data-testid=\"promote\"", watched);
        Assert.Contains("This sweep is private", await server.Http.GetStringAsync(link.Replace("key=", "key=x")));
        // A run's link does not open the sweep, nor the other way round.
        Assert.Contains("This run is private", await server.Http.GetStringAsync(link.Replace($"/sweeps/{sweep.Id}", $"/runs/{sweep.Trials[0].RunId}")));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(Request(HttpMethod.Delete, $"/api/sweeps/{sweep.Id}/links", bearer: Token))).StatusCode);
        Assert.Contains("This sweep is private", await server.Http.GetStringAsync(link));
    }

    [Fact]
    public async Task An_exposed_app_answers_only_to_its_own_host_names()
    {
        using var server = Exposed();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/health");
        foreign.Headers.Host = "attacker.example";

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
        Assert.Null(Exposure.AllowedHostsFor("http://0.0.0.0:8080"));
        Assert.Equal(["studio.lab.example", "localhost", "127.0.0.1", "[::1]"], Exposure.AllowedHostsFor("https://studio.lab.example:443")!);
    }

    [Fact]
    public void An_exposed_app_creates_its_token_and_logs_its_sign_in_link_at_start_before_any_request()
    {
        // No token configured: one is generated into the data folder, and the link that signs in with it is logged as
        // soon as the app listens (the server below has had no request yet).
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Exposed"] = "true" });

        var token = File.ReadAllText(Path.Combine(_data, "owner-token")).Trim();
        Assert.Matches("^[0-9a-f]{48}$", token);
        var line = Assert.Single(server.Logs.All, l => l.Message.Contains("Sign in as its owner"));
        Assert.Contains($"{server.BaseAddress.ToString().TrimEnd('/')}/account/signin?token={token}", line.Message);
    }

    [Theory]
    [InlineData("http://localhost:5180", false)]
    [InlineData("http://127.0.0.1:0;http://[::1]:5000", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://192.168.1.20:5180", true)]
    [InlineData("http://localhost:5180;http://+:80", true)]
    public void Listening_beyond_loopback_exposes_the_app(string urls, bool exposed) =>
        Assert.Equal(exposed, Exposure.ListensBeyondLoopback(urls));

    /// <summary>The owner uploads the verse and trains a tiny run on it to its end; returns its newest checkpoint too.</summary>
    private static async Task<(BookDto Book, RunDto Run, CheckpointDto Checkpoint)> TrainedAsync(StudioServer server)
    {
        var book = await UploadAsync(server, Token);
        var run = await CreateRunAsync(server, book.Id, Token);
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        return (book, run, (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1]);
    }

    private static async Task<BookDto> UploadAsync(StudioServer server, string token)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(StudioClient.Repeated(50))), "file", "verse.txt" } };
        var response = await server.Http.SendAsync(Request(HttpMethod.Post, "/api/books", form, token));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BookDto>(Json.Options))!;
    }

    private static async Task<RunDto> CreateRunAsync(StudioServer server, int bookId, string token)
    {
        var response = await server.Http.SendAsync(Request(HttpMethod.Post, "/api/runs", JsonContent.Create(StudioClient.TinyRun(bookId, 1), options: Json.Options), token));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
    }
}
