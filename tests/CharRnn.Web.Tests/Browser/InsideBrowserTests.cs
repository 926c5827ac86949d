using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CharRnn.Inference.Lstm;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Browser;

/// <summary>The Inside page in Chromium: states read in the browser with the server's bits, and every view driven as a person would.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class InsideBrowserTests(Chromium chromium, ITestOutputHelper output) : BrowserTest(chromium)
{
    private const string Text = "[data-testid=inside-text]";

    /// <summary>Opens an Inside address and waits until its text has been read to the end.</summary>
    private async Task<IPage> OpenInsideAsync(IBrowserContext context, string address, int characters)
    {
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        await page.GotoAsync(new Uri(Server!.BaseAddress, address).ToString());
        try { await page.Locator($"{Text}[data-state=done][data-characters='{characters}']").WaitForAsync(new() { Timeout = 120_000 }); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The Inside page did not read its text. It shows: {await page.Locator("body").InnerTextAsync()}\nConsole:\n{string.Join("\n", console)}", e);
        }
        return page;
    }

    private static async Task<float[]> ValuesAsync(IPage page) =>
        (await page.EvaluateAsync<string[]>($"() => [...document.querySelectorAll('{Text} [data-value]')].map(e => e.dataset.value)"))
            .Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static Task WaitForViewAsync(IPage page, int layer, StateQuantity quantity, int unit) =>
        page.Locator($"{Text}[data-state=done][data-layer='{layer}'][data-quantity='{ContractsJson.Name(quantity)}'][data-unit='{unit}']").WaitForAsync(new() { Timeout = 60_000 });

    [SkippableFact]
    public async Task The_browsers_states_equal_the_servers_bit_for_bit_for_2000_characters_of_a_2x512_model()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 512);
        var text = string.Concat(Enumerable.Range(0, 60).Select(i => StudioClient.Verse[(i % 9)..] + "The " + StudioClient.Verse))[..2000];
        (int Layer, StateQuantity Quantity, int Unit)[] views = [(1, StateQuantity.H, 5), (0, StateQuantity.C, 7), (1, StateQuantity.F, 300), (0, StateQuantity.G, 511)];
        var response = await Server!.Http.PostAsJsonAsync($"/api/checkpoints/{checkpoint}/states",
            new StatesRequest(text, [0, 1], [StateQuantity.C, StateQuantity.H, StateQuantity.F, StateQuantity.G], [5, 7, 300, 511]), Json.Options);
        var server = (await response.Content.ReadFromJsonAsync<StatesResponse>(Json.Options))!;
        await using var context = await Browser!.NewContextAsync();

        var page = await OpenInsideAsync(context, InsideAddress.For(checkpoint, text), 2000);
        foreach (var (layer, quantity, unit) in views)
        {
            await page.GotoAsync(new Uri(Server.BaseAddress, new InsideAddress(checkpoint, InsideSource.Text, text, Layer: layer, Quantity: quantity, Unit: unit).ToString()).ToString());
            await WaitForViewAsync(page, layer, quantity, unit);
            await page.Locator($"{Text}[data-characters='2000']").WaitForAsync();
            var browser = await ValuesAsync(page);
            var values = server.Layers.Single(l => l.Layer == layer && l.Quantity == quantity).Units.Single(u => u.Unit == unit).Values;
            // The page shows tanh(c) for the cell state, computed by the same portable tanh as here.
            var expected = values.Select(v => LayerStates.Shown(quantity, v)).ToArray();
            var first = Enumerable.Range(0, 2000).FirstOrDefault(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(browser[i]), -1);
            output.WriteLine($"layer {layer} {quantity} unit {unit}: first difference at {first}");
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), browser.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [SkippableFact]
    public async Task A_person_colours_by_a_unit_selects_a_stretch_picks_a_found_unit_sees_matches_discovers_with_a_regex_and_shares_the_view()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var server = Server!;
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1].Id;
        // A word of the second verse with a unit on across it alone, as the API finds it (the API's own test checks the rule).
        var (start, end) = (0, 0);
        foreach (Match word in Regex.Matches(StudioClient.Verse, "[a-z]+"))
        {
            var response = await server.Http.PostAsJsonAsync($"/api/checkpoints/{checkpoint}/selection", new SelectionRequest(45 + word.Index, word.Length, 0, StateQuantity.H), Json.Options);
            if ((await response.Content.ReadFromJsonAsync<SelectionResponse>(Json.Options))!.Units.Count > 0) { (start, end) = (45 + word.Index, 45 + word.Index + word.Length); break; }
        }
        Assert.True(end > 0, "no word of the verse has a unit on across it alone");
        await using var context = await Browser!.NewContextAsync();

        // Colour by a unit, and step through units with the arrow keys.
        var page = await OpenInsideAsync(context, $"/inside?checkpoint={checkpoint}&quantity=h&unit=2", 225);
        Assert.Equal(225, await page.Locator($"{Text} [data-i][data-value]").CountAsync());
        await page.Locator("[data-testid=inside-view]").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await WaitForViewAsync(page, 0, StateQuantity.H, 3);
        var hover = page.Locator($"{Text} [data-i='50']");
        await hover.HoverAsync();
        await page.Locator("[data-testid=hover-next] .mud-chip").First.WaitForAsync();
        Assert.Equal(5, await page.Locator("[data-testid=hover-next] .mud-chip").CountAsync());
        Assert.Equal(float.Parse((await hover.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture).ToString("F3", CultureInfo.InvariantCulture),
            await page.Locator("[data-testid=hover-value]").InnerTextAsync());

        // Select a stretch, find its units, pick the first: the text is coloured by it; the matches list the word's other verses.
        await page.EvaluateAsync(@"([a, b]) => {
            const spans = document.querySelectorAll('[data-testid=inside-text] [data-i]');
            const range = document.createRange();
            range.setStart(spans[a].firstChild, 0);
            range.setEnd(spans[b - 1].firstChild, spans[b - 1].firstChild.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }", new[] { start, end });
        await page.Locator($"{Text}[data-selected='{start}-{end}']").WaitForAsync();
        await page.Locator("[data-testid=find]").ClickAsync();
        var found = page.Locator("[data-testid=found-unit]").First;
        await found.WaitForAsync(new() { Timeout = 60_000 });
        var unit = int.Parse((await found.GetAttributeAsync("data-unit"))!);
        await found.ClickAsync();
        await WaitForViewAsync(page, 0, StateQuantity.H, unit);
        var values = await ValuesAsync(page);
        Assert.True(values[start..end].Min() >= 0.3f && values[start - 1] < 0.3f && values[end] < 0.3f, $"unit {unit} is not on across {start}-{end} alone");
        var matches = await page.Locator("[data-testid=match]").EvaluateAllAsync<int[]>("ms => ms.map(m => Number(m.dataset.start))");
        Assert.Contains(matches, m => m > start && (m - start) % 45 == 0);
        Assert.Contains($"span={start}-{end}", page.Url);

        // Discover with a regular expression: the units that follow "fox" best, per layer, each a link that colours by it.
        await page.Locator("input[data-field=regex], [data-field=regex] input").First.FillAsync("fox");
        await page.Locator("[data-testid=discover]").ClickAsync();
        var discovered = page.Locator("[data-testid=discovered-unit]").First;
        await discovered.WaitForAsync(new() { Timeout = 60_000 });
        Assert.InRange(double.Parse((await discovered.GetAttributeAsync("data-r"))!, CultureInfo.InvariantCulture), -1, 1);
        var (layer, quantity, best) = (int.Parse((await discovered.GetAttributeAsync("data-layer"))!), (await discovered.GetAttributeAsync("data-quantity"))!, int.Parse((await discovered.GetAttributeAsync("data-unit"))!));
        await discovered.Locator("a").ClickAsync();
        await page.Locator($"{Text}[data-state=done][data-layer='{layer}'][data-quantity='{quantity}'][data-unit='{best}']").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Contains("regex=fox", page.Url);
        var shown = await ValuesAsync(page);
        await BrowserFixture.ScreenshotAsync(page, nameof(A_person_colours_by_a_unit_selects_a_stretch_picks_a_found_unit_sees_matches_discovers_with_a_regex_and_shares_the_view));

        // The address, opened in a fresh browser context, shows the same view.
        await using var fresh = await Browser.NewContextAsync();
        var shared = await OpenInsideAsync(fresh, new Uri(page.Url).PathAndQuery, 225);
        await shared.Locator($"{Text}[data-layer='{layer}'][data-quantity='{quantity}'][data-unit='{best}']").WaitForAsync();
        Assert.Equal(shown, await ValuesAsync(shared));
        await shared.Locator("[data-testid=discovered-unit]").First.WaitForAsync(new() { Timeout = 60_000 });
        await shared.Locator("[data-testid=match]").First.WaitForAsync(new() { Timeout = 60_000 });
    }

    [SkippableFact]
    public async Task The_gates_scatter_and_the_line_over_training_are_drawn_for_a_runs_checkpoints()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var server = Server!;
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1, evaluateEvery: 10));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var checkpoints = await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
        await using var context = await Browser!.NewContextAsync();
        // The verse has no quotes: follow the position in the word, which it has.
        var page = await OpenInsideAsync(context, $"/inside?checkpoint={checkpoints[^1].Id}&feature=word-position", 225);

        await page.Locator("[data-testid=load-gates]").ClickAsync();
        await page.Locator("[data-testid=gates-scatter][data-layer='0'] circle").First.WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(3 * 16, await page.Locator("[data-testid=gates-scatter][data-layer='0'] circle").CountAsync());
        var shares = await page.Locator("[data-testid=gates-scatter] circle").EvaluateAllAsync<double[]>("cs => cs.map(c => Number(c.dataset.closed) + Number(c.dataset.open))");
        Assert.All(shares, share => Assert.InRange(share, 0, 1.0000001));

        await page.Locator("[data-testid=over-training]").ClickAsync();
        await page.WaitForFunctionAsync($"document.querySelectorAll('[data-testid=over-training-point]').length === {checkpoints.Count}", null, new() { Timeout = 120_000 });
        var steps = await page.Locator("[data-testid=over-training-point]").EvaluateAllAsync<long[]>("ps => ps.map(p => Number(p.dataset.step))");
        Assert.Equal(checkpoints.Select(c => c.Step).OrderBy(s => s), steps);
        var rs = await page.Locator("[data-testid=over-training-point]").EvaluateAllAsync<double[]>("ps => ps.map(p => Number(p.dataset.r))");
        Assert.All(rs, r => Assert.InRange(r, -1, 1));
        await BrowserFixture.ScreenshotAsync(page, nameof(The_gates_scatter_and_the_line_over_training_are_drawn_for_a_runs_checkpoints));
    }

    [SkippableFact]
    public async Task Typing_reads_each_new_character_and_the_page_says_what_a_keystroke_cost()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 512);
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenInsideAsync(context, InsideAddress.For(checkpoint, "The quick"), 9);

        var typing = page.Locator("[data-testid=inside-typing]");
        await typing.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" brown fox", new() { Delay = 50 });
        await page.Locator($"{Text}[data-characters='19']").WaitForAsync(new() { Timeout = 30_000 });
        var milliseconds = double.Parse((await page.Locator("[data-testid=keystroke]").GetAttributeAsync("data-ms"))!, CultureInfo.InvariantCulture);
        output.WriteLine($"last keystroke: {milliseconds:F2} ms");
        Assert.Contains("text=The%20quick%20brown%20fox", page.Url);
        Assert.Equal("The quick brown fox", string.Concat(await page.Locator($"{Text} [data-i]").AllInnerTextsAsync()));
    }

    [SkippableFact]
    public async Task Typing_a_character_the_model_lacks_greys_it_explains_it_and_keeps_colouring_and_guessing_the_rest()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 64); // its characters: the verse's and 'T', no '"' nor ','
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenInsideAsync(context, InsideAddress.For(checkpoint, "The quick"), 9);

        await page.Locator("[data-testid=inside-typing]").FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" \"brown,\" fox", new() { Delay = 50 });
        await page.Locator($"{Text}[data-characters='22']").WaitForAsync(new() { Timeout = 30_000 });
        const string typed = "The quick \"brown,\" fox";

        // The three characters the model lacks are greyed, with no value and no colour; the rest are coloured.
        var skipped = page.Locator($"{Text} [data-skipped]");
        Assert.Equal(new[] { "\"", ",", "\"" }, await skipped.AllInnerTextsAsync());
        Assert.Equal(new[] { 10, 16, 17 }, (await page.EvaluateAsync<int[]>($"() => [...document.querySelectorAll('{Text} [data-skipped]')].map(e => +e.dataset.i)")));
        Assert.All(await page.EvaluateAsync<string?[]>($"() => [...document.querySelectorAll('{Text} [data-skipped]')].map(e => e.getAttribute('style'))"), Assert.Null);
        Assert.Equal(typed, string.Concat(await page.Locator($"{Text} [data-i]").AllInnerTextsAsync()));

        // The values of the characters read are the server's, bit for bit, and the server names the same positions.
        var response = await Server!.Http.PostAsJsonAsync($"/api/checkpoints/{checkpoint}/states", new StatesRequest(typed, [0], [StateQuantity.C], [0]), Json.Options);
        var states = (await response.Content.ReadFromJsonAsync<StatesResponse>(Json.Options))!;
        Assert.Equal([10, 16, 17], states.Skipped);
        var expected = states.Layers[0].Units[0].Values.Where((_, i) => !states.Skipped.Contains(i)).Select(v => LayerStates.Shown(StateQuantity.C, v));
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), (await ValuesAsync(page)).Select(BitConverter.SingleToInt32Bits));

        // Pointing at the quote says why it is grey; pointing at the next letter shows what the model expects after it.
        await skipped.First.HoverAsync();
        Assert.Contains("no such character", await page.Locator("[data-testid=hover-skipped]").InnerTextAsync());
        await page.Locator($"{Text} [data-i='11']").HoverAsync();
        Assert.Equal(5, await page.Locator("[data-testid=hover-next] .mud-chip").CountAsync());

        // Typing goes on after them: the new letters are read and coloured.
        await page.Keyboard.TypeAsync(" jumps", new() { Delay = 50 });
        await page.Locator($"{Text}[data-characters='28']").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal(25, (await ValuesAsync(page)).Length);
        await page.Locator($"{Text} [data-i='27']").HoverAsync();
        Assert.Equal(5, await page.Locator("[data-testid=hover-next] .mud-chip").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, nameof(Typing_a_character_the_model_lacks_greys_it_explains_it_and_keeps_colouring_and_guessing_the_rest));
    }
}
