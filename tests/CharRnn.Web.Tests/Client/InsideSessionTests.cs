using System.Net.Http.Json;
using CharRnn.Inference.Inside;
using CharRnn.Web.Client.Pages;
using Microsoft.AspNetCore.WebUtilities;

namespace CharRnn.Web.Tests.Client;

/// <summary>
/// The Inside page's session without a browser, against the real app on Kestrel: the view its address holds, the text
/// read with the server's bits (characters the model lacks read past), typing, and a refusal shown as the API words it.
/// </summary>
public sealed class InsideSessionTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-inside-session-").FullName;
    private StudioServer _server = default!;
    private int _checkpoint;

    public async Task InitializeAsync()
    {
        _server = new StudioServer(_data);
        _checkpoint = await _server.ImportRandomModelAsync(hidden: 32); // its characters: the verse's and 'T'
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<InsideSession> OpenAsync(InsideAddress view)
    {
        var session = new InsideSession(_server.Http, new EngineModels(_server.Http), () => { });
        await session.LoadAsync(view);
        return session;
    }

    /// <summary>The server's values of one layer's unit over <paramref name="text"/>, and the positions it read past.</summary>
    private async Task<(float[] Values, IReadOnlyList<int> Skipped)> ServerStatesAsync(string text, int layer, StateQuantity quantity, int unit)
    {
        var response = await _server.Http.PostAsJsonAsync($"/api/checkpoints/{_checkpoint}/states", new StatesRequest(text, [layer], [quantity], [unit]), Json.Options);
        var states = (await response.Content.ReadFromJsonAsync<StatesResponse>(Json.Options))!;
        return (states.Layers[0].Units[0].Values, states.Skipped);
    }

    [Fact]
    public async Task A_text_with_characters_the_model_lacks_is_read_past_them_with_the_servers_bits_for_the_rest()
    {
        const string text = "The \"quick\" brown fox, 7 times";
        var session = await OpenAsync(new InsideAddress(_checkpoint, InsideSource.Text, text, Layer: 1, Quantity: StateQuantity.H, Unit: 5));

        Assert.Null(session.Error);
        Assert.Equal(_checkpoint, session.View.CheckpointId);
        Assert.StartsWith("imported: random-2x32", session.Checkpoints!.Label(_checkpoint));
        var reading = session.Reading!;
        Assert.Equal(text.Length, reading.Characters.Count);
        var (values, skipped) = await ServerStatesAsync(text, 1, StateQuantity.H, 5);
        Assert.Equal([4, 10, 21, 23], reading.Skipped);
        Assert.Equal(skipped, reading.Skipped);
        Assert.Equal(values, Enumerable.Range(0, text.Length).Select(i => reading.Value(i, StateQuantity.H, 5)));
    }

    [Fact]
    public async Task Typing_reads_on_past_an_unknown_character_and_an_edit_reads_the_text_again()
    {
        var session = await OpenAsync(new InsideAddress(_checkpoint, InsideSource.Text, "the lazy"));
        var first = session.Reading;

        await session.TypeAsync("the lazy \"dog\" jumps");

        Assert.Same(first, session.Reading); // read on from where it stopped
        Assert.Equal([9, 13], session.Reading!.Skipped);
        Assert.Equal("the lazy \"dog\" jumps", session.View.Text);
        Assert.Null(session.Error);
        var (values, _) = await ServerStatesAsync("the lazy \"dog\" jumps", 0, StateQuantity.C, 0);
        Assert.Equal(values, Enumerable.Range(0, 20).Select(i => session.Reading.States[i][0]));
        // Guesses go on after the quote: the characters read after it have a surprise and five guesses.
        Assert.All(Enumerable.Range(15, 5), i => Assert.NotNull(session.Reading.Surprise[i]));
        Assert.All(Enumerable.Range(15, 5), i => Assert.Equal(TextReading.Guesses, session.Reading.Next[i].Count));

        await session.TypeAsync("a lazy dog");

        Assert.NotSame(first, session.Reading); // not an extension: read again from the start
        Assert.Empty(session.Reading!.Skipped);
        Assert.Equal(10, session.Reading.Characters.Count);
    }

    [Fact]
    public async Task A_refusal_from_the_server_shows_the_problems_detail()
    {
        // An imported checkpoint has no book, so no held-out passage to discover units over.
        var session = await OpenAsync(new InsideAddress(_checkpoint, InsideSource.Text, "the fox"));

        await session.DiscoverAsync();

        Assert.Equal("This checkpoint was imported, so it has no book to take a held-out passage from: send a text.", session.Error);
        Assert.Null(session.Discovered);
    }

    [Fact]
    public async Task An_address_asking_for_a_checkpoint_that_is_not_there_opens_the_best_one()
    {
        var session = await OpenAsync(new InsideAddress(999, InsideSource.Text, "the fox"));

        Assert.Equal(_checkpoint, session.View.CheckpointId);
        Assert.Equal(7, session.Reading!.Characters.Count);
    }

    public static TheoryData<InsideAddress> Views => new()
    {
        new InsideAddress(3),
        new InsideAddress(3, InsideSource.Text, "A \"text\" & more?\n😀 = 7", Layer: 1, Quantity: StateQuantity.F, Unit: 300, Span: (2, 8), Regex: "\"[^\"]*\""),
        new InsideAddress(12, InsideSource.Passage, Passage: "a-slug", Quantity: StateQuantity.G, Unit: 511, Feature: TextFeature.LinePosition),
        new InsideAddress(5, Layer: 1, Quantity: StateQuantity.O, Span: (120, 164), Feature: TextFeature.SentenceStart),
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void An_address_reads_back_as_the_view_it_was_written_from(InsideAddress view)
    {
        var address = view.ToString();
        Assert.StartsWith("/inside?", address);
        var query = QueryHelpers.ParseQuery(address[address.IndexOf('?')..]);
        string? Get(string key) => query.TryGetValue(key, out var value) ? value.ToString() : null;
        int? Number(string key) => Get(key) is { } value ? int.Parse(value) : null;

        var read = InsideAddress.Read(Number("checkpoint")!.Value, Get("source"), Get("text"), Get("passage"), Number("layer"), Get("quantity"), Number("unit"),
            Get("span"), Get("feature"), Get("regex"));

        Assert.Equal(view, read);
    }

    [Fact]
    public void An_address_with_unknown_words_takes_the_defaults()
    {
        var read = InsideAddress.Read(4, source: "elsewhere", text: null, passage: null, layer: -2, quantity: "z", unit: null, span: "9-3", feature: "colour", regex: "");

        Assert.Equal(new InsideAddress(4), read);
    }
}
