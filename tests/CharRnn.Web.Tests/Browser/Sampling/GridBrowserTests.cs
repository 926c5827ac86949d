using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>The sample grid in Chromium: checkpoints × temperatures from the Compare page, reproduced by its address, a cell saved.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class GridBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private const string AllDone = @"n => { const c = document.querySelectorAll('[data-testid=grid-cell]');
        return c.length === n && [...c].every(x => x.querySelector('[data-testid=sample-text]').dataset.state === 'done'
            && /^\d/.test(x.querySelector('[data-testid=bits-per-char]').textContent)); }";

    private static async Task<List<string>> CellTextsAsync(IPage page)
    {
        await page.WaitForFunctionAsync(AllDone, 6, new() { Timeout = 90_000 });
        var texts = new List<string>();
        foreach (var cell in await page.Locator("[data-testid=grid-cell]").AllAsync()) texts.Add(await cell.Locator("[data-testid=sample-text]").InnerTextAsync());
        return texts;
    }

    [SkippableFact]
    public async Task A_two_by_three_grid_from_compare_fills_reopens_the_same_in_a_fresh_browser_and_saves_a_cell()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var first = await Server!.ImportRandomModelAsync(hidden: 32);
        var second = await Server!.ImportRandomModelAsync(hidden: 48);
        await using var context = await Browser!.NewContextAsync();

        var compare = await OpenAsync(context, $"/compare?checkpoints={first},{second}&prime=the&length=120&temperature=0.8&topK=5&seed=4");
        await compare.Locator("[data-testid=grid-link]").ClickAsync();
        await compare.WaitForURLAsync(url => url.Contains("/grid?"), new() { WaitUntil = WaitUntilState.Commit });
        await compare.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 60_000 });
        await compare.Locator("[data-testid=draw-grid]").ClickAsync();
        var texts = await CellTextsAsync(compare);
        await BrowserFixture.ScreenshotAsync(compare, nameof(A_two_by_three_grid_from_compare_fills_reopens_the_same_in_a_fresh_browser_and_saves_a_cell));

        // Rows are checkpoints, columns temperatures 0.5, 0.8, 1.2: each cell is the server's text for its settings.
        Assert.Contains("temperatures=0.5,0.8,1.2", compare.Url);
        var temperatures = new[] { 0.5, 0.8, 1.2 };
        for (var i = 0; i < 6; i++)
        {
            var (checkpoint, temperature) = (i < 3 ? first : second, temperatures[i % 3]);
            Assert.Equal(await Server!.SampleAsync(new SampleRequest(checkpoint, "the", 120, temperature, null, 4)), texts[i]);
        }
        Assert.Equal(6, texts.Distinct().Count());
        var bits = double.Parse(await compare.Locator("[data-testid=grid-cell]").First.Locator("[data-testid=bits-per-char]").InnerTextAsync(), CultureInfo.InvariantCulture);
        var api = await Server!.Http.PostAsJsonAsync($"/api/checkpoints/{first}/score", new ScoreRequest(texts[0]), Json.Options);
        Assert.Equal((await api.Content.ReadFromJsonAsync<ScoreResponse>(Json.Options))!.BitsPerCharacter, bits, 3);

        // The address alone draws the same grid in a browser that has seen nothing.
        await using var fresh = await Browser.NewContextAsync();
        var again = await OpenAsync(fresh, new Uri(compare.Url).PathAndQuery);
        Assert.Equal(texts, await CellTextsAsync(again));

        // A cell saved as a passage keeps its text and settings.
        var cell = compare.Locator("[data-testid=grid-cell]").Nth(4); // the second checkpoint at 0.8
        await cell.Locator("[data-testid=save-cell]").ClickAsync();
        var link = (await cell.Locator("[data-testid=share-link]").GetAttributeAsync("href"))!;
        var passage = await Server!.GetAsync<PassageDto>($"/api/passages/{link[(link.LastIndexOf('/') + 1)..]}");
        Assert.Equal(texts[4], passage.Text);
        Assert.Equal((second, 0.8, 4), (passage.CheckpointId, passage.Temperature, passage.Seed));
    }
}
