using System.Net.Http.Json;
using CharRnn.Web.Client.Pages;
using CharRnn.Web.Client.Sampling;

namespace CharRnn.Web.Tests.Client;

/// <summary>
/// The Generate page's session without a browser, against the real app on Kestrel: the settings its address holds, a
/// passage drawn on the server through the sampling hub, one drawn "here" by the session's own chunked loop (with
/// .NET's engine, as a browser without the WebAssembly module would), and sharing what was drawn.
/// </summary>
public sealed class GenerateSessionTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-generate-session-").FullName;
    private StudioServer _server = default!;
    private ServerSampling _sampling = default!;
    private int _checkpoint;
    private int _redraws;

    public async Task InitializeAsync()
    {
        _server = new StudioServer(_data);
        _sampling = new ServerSampling(_server.BaseAddress);
        _checkpoint = await _server.ImportRandomModelAsync(hidden: 32);
    }

    public async Task DisposeAsync()
    {
        await _sampling.DisposeAsync();
        _server.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<GenerateSession> OpenAsync(string? prime = null, int? length = null, string? temperature = null, string? topK = null, int? seed = null, string where = "server")
    {
        var session = new GenerateSession(_server.Http, new EngineModels(_server.Http), _sampling, () => _redraws++);
        session.Settings.Read(prime, length, temperature, topK, seed, variations: null);
        await session.LoadAsync(_checkpoint, run: null, where);
        return session;
    }

    [Fact]
    public async Task An_address_says_top_k_all_and_a_missing_top_k_keeps_the_pages_default()
    {
        Assert.Null((await OpenAsync(topK: "all")).Settings.TopK);
        Assert.Null((await OpenAsync(topK: "")).Settings.TopK);
        Assert.Equal(5, (await OpenAsync(topK: null)).Settings.TopK);
        Assert.Equal(7, (await OpenAsync(topK: "7")).Settings.TopK);

        var session = await OpenAsync(prime: "the ", length: 50, temperature: "0.6", topK: "all", seed: 3);
        Assert.Equal($"/generate?checkpoint={_checkpoint}&prime=the%20&length=50&temperature=0.6&topK=all&seed=3&where=server", session.Address);
    }

    [Fact]
    public async Task Here_and_on_the_server_it_draws_the_apis_text_for_the_seed_and_the_address_takes_a_drawn_seed()
    {
        var expected = await _server.SampleAsync(new SampleRequest(_checkpoint, "the ", 120, 0.9, null, 21));
        var server = await OpenAsync(prime: "the ", length: 120, temperature: "0.9", topK: "all", seed: 21);
        await server.GenerateAsync();
        var here = await OpenAsync(prime: "the ", length: 120, temperature: "0.9", topK: "all", seed: 21, where: "browser");
        await here.GenerateAsync();

        Assert.Null(server.Error);
        Assert.Equal(expected, server.Output.Text);
        Assert.Equal(expected, here.Output.Text);
        Assert.Equal(SamplingPlace.Browser, here.Output.Where);
        Assert.True(here.Cached);
        Assert.True(_redraws > 0);

        // No seed in the form: a new one is drawn, and the address holds it, so it draws the same text again.
        var random = await OpenAsync(prime: "the ", length: 120);
        await random.GenerateAsync();
        var seed = random.Output.Drawn!.Seed!.Value;
        Assert.Contains($"&seed={seed}&", random.Address);
        Assert.Equal(await _server.SampleAsync(new SampleRequest(_checkpoint, "the ", 120, 0.8, 5, seed)), random.Output.Text);
    }

    [Fact]
    public async Task Sharing_keeps_the_settings_the_text_was_drawn_with_not_the_ones_edited_since()
    {
        var session = await OpenAsync(prime: "the ", length: 60, topK: "all", seed: 4);
        await session.GenerateAsync();
        session.Settings.TopK = 2;
        session.Settings.Prime = "a";

        await session.ShareAsync();

        var passage = await _server.GetAsync<PassageDto>($"/api/passages/{session.ShareUrl!.Split('/')[^1]}");
        Assert.Equal((null, "the ", 4, session.Output.Text), (passage.TopK, passage.Prime, passage.Seed, passage.Text));
    }

    [Fact]
    public async Task A_prime_the_model_does_not_know_is_refused_with_the_characters_and_nothing_is_drawn()
    {
        var session = await OpenAsync(prime: "WQ!", seed: 1);
        await session.GenerateAsync();

        Assert.Contains("'W', 'Q', '!'", session.Error);
        Assert.Equal("", session.Output.Text);
        Assert.False(session.Output.Streaming);
    }
}
