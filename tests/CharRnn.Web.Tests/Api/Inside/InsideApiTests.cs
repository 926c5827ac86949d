using System.Net;
using System.Net.Http.Json;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Inside;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tests;

namespace CharRnn.Web.Tests.Api.Inside;

/// <summary>
/// <c>/api/checkpoints/{id}/states|units|selection</c> on a real server, one for the class (each test imports its own
/// hand-built model, whose units are known), and one with a raised limit for the bad requests.
/// </summary>
public class InsideApiTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-inside-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<int> ImportPlantedAsync(StudioServer server)
    {
        using var file = new MemoryStream();
        CharRnn.Training.Checkpoints.NotebookCheckpoint.Write(file, PlantedModel.Create());
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "planted.net" } };
        var response = await server.Http.PostAsync("/api/checkpoints/import", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CheckpointDto>(Json.Options))!.Id;
    }

    private static async Task<T> PostAsync<T>(StudioServer server, string path, object body)
    {
        var response = await server.Http.PostAsJsonAsync(path, body, Json.Options);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    [Fact]
    public async Task Discover_names_the_planted_line_unit_and_quote_unit_for_their_features_and_for_a_regex()
    {
        var server = shared.Server;
        var id = await ImportPlantedAsync(server);
        var text = PlantedModel.Text(4000);

        var line = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{id}/units", new { feature = "line-position", text, top = 5 });
        var quotes = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{id}/units", new { feature = "quotes", text });
        var regex = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{id}/units", new UnitsRequest(Regex: "\"[^\"]*\"", Text: text));

        Assert.Equal((0, PlantedModel.LineUnit), (line.Units[0].Layer, line.Units[0].Unit));
        Assert.True(line.Units[0].R >= 0.9, $"r {line.Units[0].R}");
        Assert.Equal(5, line.Units.Count);
        Assert.Equal((0, PlantedModel.QuoteUnit), (quotes.Units[0].Layer, quotes.Units[0].Unit));
        Assert.True(quotes.Units[0].R >= 0.9, $"r {quotes.Units[0].R}");
        // The regex marks what the quotes feature does, and the closing quote too.
        Assert.Equal((0, PlantedModel.QuoteUnit), (regex.Units[0].Layer, regex.Units[0].Unit));
        Assert.True(regex.Units[0].R >= 0.9, $"r {regex.Units[0].R}");
        Assert.Equal(text.Length, line.Characters);
    }

    [Fact]
    public async Task States_are_the_engines_bits_and_a_stretch_of_the_held_out_passage_finds_units_and_matches()
    {
        var server = shared.Server;
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1];
        const string text = "the lazy dog jumps.\n";

        var states = await PostAsync<StatesResponse>(server, $"/api/checkpoints/{checkpoint.Id}/states",
            new StatesRequest(text, Layers: [0], Quantities: [StateQuantity.C, StateQuantity.F], Units: [3, 7]));

        Assert.Equal(text.Select(c => c.ToString()), states.Characters);
        Assert.Equal([(0, StateQuantity.C), (0, StateQuantity.F)], states.Layers.Select(l => (l.Layer, l.Quantity)));
        var file = await server.Http.GetByteArrayAsync($"/api/checkpoints/{checkpoint.Id}/file");
        var engine = new LstmEngine(new LstmWeights(CheckpointFile.Read(file)));
        var expected = EngineStates(engine, text, layer: 0);
        foreach (var sent in states.Layers)
            Assert.Equal(sent.Units.Select(u => expected.Select(state => state[LayerStates.Index(sent.Quantity, u.Unit, engine.Config.Hidden)]).ToArray()),
                sent.Units.Select(u => u.Values));

        // The held-out passage is the book's last 10 %: 225 characters, the verse five times over. Select each word of
        // the second verse in turn: where units are found, each is on across the word and off around it (read back
        // through the states API), and the same word in a later verse, read in the same context, is a match.
        var heldOut = StudioClient.Repeated(5);
        var hidden = (await PostAsync<StatesResponse>(server, $"/api/checkpoints/{checkpoint.Id}/states",
            new StatesRequest(heldOut, [0], [StateQuantity.H], Enumerable.Range(0, 16).ToList()))).Layers[0].Units;
        var selected = 0;
        foreach (System.Text.RegularExpressions.Match word in System.Text.RegularExpressions.Regex.Matches(heldOut[45..90], "[a-z]+"))
        {
            var (start, length) = (45 + word.Index, word.Length);
            var selection = await PostAsync<SelectionResponse>(server, $"/api/checkpoints/{checkpoint.Id}/selection",
                new SelectionRequest(start, length, Layer: 0, Quantity: StateQuantity.H, Threshold: 0.3));
            Assert.Equal(225, selection.Characters);
            if (selection.Units.Count == 0) continue;
            selected++;
            foreach (var unit in selection.Units)
            {
                var values = hidden[unit.Unit].Values;
                Assert.True(values[start..(start + length)].Min() >= 0.3f && values[start - 1] < 0.3f && values[start + length] < 0.3f, $"unit {unit.Unit} on '{word.Value}'");
            }
            Assert.Contains(selection.Matches, m => m.Start > start && (m.Start - start) % 45 == 0 && m.Length == length);
            Assert.DoesNotContain(selection.Matches, m => m.Start == start);
        }
        Assert.True(selected > 0, "no word of the verse had a unit on across it alone");
    }

    [Fact]
    public async Task Gates_are_counted_over_the_held_out_passage_and_discover_can_read_less_of_it()
    {
        var server = shared.Server;
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1].Id;

        var gates = await server.GetAsync<GatesResponse>($"/api/checkpoints/{checkpoint}/gates");

        Assert.Equal(225, gates.Characters);
        Assert.Equal([StateQuantity.I, StateQuantity.F, StateQuantity.O], gates.Gates.Select(g => g.Gate));
        Assert.All(gates.Gates, g =>
        {
            Assert.Equal(16, g.Closed.Length);
            Assert.All(g.Closed.Zip(g.Open), p => Assert.InRange(p.First + p.Second, 0f, 1f));
        });
        var short_ = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{checkpoint}/units", new UnitsRequest(TextFeature.WordPosition, Characters: 100));
        var one = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{checkpoint}/units",
            new UnitsRequest(TextFeature.WordPosition, Layer: 0, Quantity: StateQuantity.F, Unit: 3));
        Assert.Equal(100, short_.Characters);
        Assert.Equal((0, StateQuantity.F, 3), (one.Units.Single().Layer, one.Units.Single().Quantity, one.Units.Single().Unit));
    }

    /// <summary>[position][c; h; i; f; g; o] of <paramref name="layer"/>, read by the engine alone as sampling reads a prime.</summary>
    private static List<float[]> EngineStates(LstmEngine engine, string text, int layer)
    {
        engine.Reset();
        return engine.Vocabulary.Encode(text).Select(token =>
        {
            engine.Step(token);
            return engine.LayerState(layer).ToArray();
        }).ToList();
    }

    [Fact]
    public async Task A_text_with_characters_the_model_lacks_is_read_past_them_and_names_their_positions()
    {
        var server = shared.Server;
        var id = await ImportPlantedAsync(server);
        // The planted model knows letters, spaces, '.', ',', '"' and newlines: '7', '—' and the emoji (one code point,
        // two UTF-16 units) are not among them.
        const string text = "7he said \"go—now\" 😀 and left.\nthen 7 more";
        var characters = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        var lacking = characters.Select((c, i) => (c, i)).Where(p => !PlantedModel.Alphabet.Contains(p.c)).Select(p => p.i).ToList();
        Assert.Equal(4, lacking.Count);

        var states = await PostAsync<StatesResponse>(server, $"/api/checkpoints/{id}/states", new StatesRequest(text));

        Assert.Equal(lacking, states.Skipped);
        Assert.Equal(characters, states.Characters);
        // Every other position has the engine's bits for the text without those characters; a skipped one, the state
        // carried over from the position before (the zero state at position 0).
        var engine = new LstmEngine(new LstmWeights(PlantedModel.Create()));
        var known = string.Concat(characters.Where((_, i) => !lacking.Contains(i)));
        foreach (var series in states.Layers)
        {
            var expected = EngineStates(engine, known, series.Layer);
            foreach (var unit in series.Units)
                for (int position = 0, read = -1; position < characters.Count; position++)
                {
                    if (!lacking.Contains(position)) read++;
                    var want = read < 0 ? 0f : expected[read][LayerStates.Index(series.Quantity, unit.Unit, PlantedModel.Hidden)];
                    Assert.Equal(want, unit.Values[position]);
                }
        }

        // Discover over a text of one's own with such characters in it still finds the quote unit, and names them.
        var long_ = string.Concat(PlantedModel.Text(4000).Chunk(40).Select(piece => new string(piece) + "7"));
        var quotes = await PostAsync<UnitsResponse>(server, $"/api/checkpoints/{id}/units", new { feature = "quotes", text = long_ });
        Assert.Equal((0, PlantedModel.QuoteUnit), (quotes.Units[0].Layer, quotes.Units[0].Unit));
        Assert.True(quotes.Units[0].R >= 0.9, $"r {quotes.Units[0].R}");
        Assert.Equal(Enumerable.Range(0, long_.Length).Where(i => long_[i] == '7'), quotes.Skipped);

        // A prime is still refused: a model cannot continue what it cannot read.
        var prime = await server.Http.PostAsJsonAsync("/api/samples", new { checkpointId = id, prime = "go 7", length = 10 }, Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, prime.StatusCode);
        Assert.Contains("The prime contains 1 character that the model does not know: '7'", await prime.ProblemDetailAsync());
    }

    [Fact]
    public async Task Bad_requests_get_a_clear_4xx_and_a_catastrophic_regex_is_answered_within_a_second()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxInsideCharacters"] = "40000" });
        var id = await ImportPlantedAsync(server);
        var units = $"/api/checkpoints/{id}/units";
        async Task<(HttpStatusCode Status, string Detail)> Refusal(string path, object body)
        {
            var response = await server.Http.PostAsJsonAsync(path, body, Json.Options);
            return (response.StatusCode, response.IsSuccessStatusCode ? "" : await response.ProblemDetailAsync());
        }

        Assert.Equal((HttpStatusCode.BadRequest, "The regular expression is not valid"), (await Refusal(units, new { regex = "(a+", text = "abc" })) is var invalid ? (invalid.Status, invalid.Detail[..35]) : default);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refusal(units, new { regex = "a", feature = "quotes", text = "abc" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refusal(units, new { feature = "quotes" })).Status); // imported: no held-out passage
        var tooLong = await Refusal($"/api/checkpoints/{id}/states", new { text = new string('a', 40_001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("CharRnn:Limits:MaxInsideCharacters", tooLong.Detail);
        var unit = await Refusal($"/api/checkpoints/{id}/states", new { text = "abc", units = new[] { 4 } });
        Assert.Equal(HttpStatusCode.BadRequest, unit.Status);
        Assert.Contains("Unit 4 is out of range", unit.Detail);
        var layer = await Refusal($"/api/checkpoints/{id}/states", new { text = "abc", layers = new[] { 2 } });
        Assert.Contains("Layer 2 is out of range", layer.Detail);
        var series = await Refusal($"/api/checkpoints/{id}/states", new { text = "abc" }); // 2 layers × 6 × 4 = 48 series: within 64
        Assert.Equal(HttpStatusCode.OK, series.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Refusal("/api/checkpoints/999/units", new { feature = "quotes", text = "abc" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Refusal("/api/checkpoints/999/states", new { text = "abc" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/checkpoints/999/gates")).StatusCode);
        Assert.Contains("imported", (await Refusal($"/api/checkpoints/{id}/selection", new { start = 0, length = 2, layer = 0 })).Detail);
        Assert.Contains("Characters must be between", (await Refusal(units, new { feature = "quotes", characters = 1 })).Detail);

        // (a+)+$ backtracks exponentially on a run of a's that ends in b: a backtracking engine would meet the pattern's
        // one-second time-out and answer 400. The server's linear engine answers, with the units' correlations.
        var catastrophic = await Refusal(units, new { regex = "(a+)+$", text = new string('a', 30_000) + "b" });
        Assert.Equal((HttpStatusCode.OK, ""), catastrophic);
    }
}
