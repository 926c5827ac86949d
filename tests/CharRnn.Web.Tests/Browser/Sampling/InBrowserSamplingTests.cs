using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Browser;

/// <summary>The Generate page sampling inside Chromium with the WebAssembly module, against the server's text for the same seed.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class InBrowserSamplingTests(Chromium chromium, ITestOutputHelper output) : BrowserTest(chromium)
{
    private Task<string> ServerTextAsync(int checkpointId, string prime, int length, double temperature, int topK, int seed) =>
        Server!.SampleAsync(new SampleRequest(checkpointId, prime, length, temperature, topK, seed));

    [SkippableFact]
    public async Task TheBrowser_writes_theServers_text_for_the_same_seed_without_asking_theServer()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 256);
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenGenerateAsync(context, $"checkpoint={checkpoint}&prime=The%20&length=400&temperature=1&topK=5&seed=7&where=browser");

        var first = await GenerateAsync(page); // downloads the model, then samples
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        var again = await GenerateAsync(page);  // the model is in memory: nothing should reach the server
        await BrowserFixture.ScreenshotAsync(page, nameof(TheBrowser_writes_theServers_text_for_the_same_seed_without_asking_theServer));

        var server = await ServerTextAsync(checkpoint, "The ", 400, 1, 5, 7);
        var parted = Enumerable.Range(0, Math.Min(server.Length, first.Length)).FirstOrDefault(i => server[i] != first[i], -1);
        output.WriteLine($"browser: {first[..60]}…; server: {server[..60]}…; first difference at {parted}");
        output.WriteLine(await page.Locator("[data-testid=rate]").InnerTextAsync());
        Assert.Equal(server, first);
        Assert.Equal(first, again);
        Assert.Empty(requests);
    }

    [SkippableFact]
    public async Task Stop_ends_browser_sampling_within_the_chunk_being_drawn()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 512);
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenGenerateAsync(context, $"checkpoint={checkpoint}&prime=The&length=100000&topK=5&seed=1&where=browser");
        await page.Locator("[data-testid=generate]").ClickAsync();
        await page.Locator("[data-testid=sample-text][data-state=sampling]").WaitForAsync(new() { Timeout = 120_000 });
        await page.WaitForFunctionAsync("document.querySelector('[data-testid=sample-text]').textContent.length > 500", null, new() { Timeout = 120_000 });

        // Counted inside the page, not timed: the characters each chunk added while sampling, then those added from the
        // click on Stop to the text's state turning "done". The sampler yields to the page between chunks, so Stop is seen
        // before the next chunk: at most the one being drawn lands after it.
        var counts = await page.EvaluateAsync<int[]>(@"() => new Promise(resolve => {
            const text = document.querySelector('[data-testid=sample-text]');
            let last = text.textContent.length, largest = 0, atClick = -1;
            new MutationObserver(() => {
                const now = text.textContent.length;
                if (atClick < 0) largest = Math.max(largest, now - last);
                last = now;
                if (atClick >= 0 && text.dataset.state === 'done') resolve([now - atClick, largest]);
            }).observe(text, { attributes: true, childList: true, subtree: true, characterData: true });
            setTimeout(() => { atClick = text.textContent.length; document.querySelector('[data-testid=stop]').click(); }, 300);
        })");
        await BrowserFixture.ScreenshotAsync(page, nameof(Stop_ends_browser_sampling_within_the_chunk_being_drawn));

        output.WriteLine($"{counts[0]} characters after Stop; chunks of up to {counts[1]} before it");
        Assert.InRange(counts[1], 1, 100_000);
        Assert.InRange(counts[0], 0, counts[1]);
        Assert.True((await page.Locator("[data-testid=sample-text]").InnerTextAsync()).Length < 100_000);
    }

    [SkippableFact]
    public async Task A_second_visit_downloads_no_checkpoint_bytes_and_the_cache_can_be_cleared()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 128);
        await using var context = await Browser!.NewContextAsync();
        var query = $"checkpoint={checkpoint}&prime=The&length=50&seed=3&where=browser";
        var fileRequests = new List<string>();
        context.Request += (_, request) => { if (request.Url.Contains("/file")) fileRequests.Add(request.Url); };

        var first = await OpenGenerateAsync(context, query);
        Assert.Equal("false", await first.Locator("[data-testid=cache-state]").GetAttributeAsync("data-cached"));
        await GenerateAsync(first);
        Assert.Single(fileRequests);
        Assert.Equal("true", await first.Locator("[data-testid=cache-state]").GetAttributeAsync("data-cached"));
        await first.CloseAsync();

        var second = await OpenGenerateAsync(context, query);
        Assert.Equal("true", await second.Locator("[data-testid=cache-state]").GetAttributeAsync("data-cached"));
        await GenerateAsync(second);
        await BrowserFixture.ScreenshotAsync(second, nameof(A_second_visit_downloads_no_checkpoint_bytes_and_the_cache_can_be_cleared));
        Assert.Single(fileRequests); // still only the first visit's

        await second.Locator("[data-testid=clear-cache]").ClickAsync();
        await second.Locator("[data-testid=cache-state][data-cached=false]").WaitForAsync();
    }

    [SkippableFact]
    public async Task The_books_and_runs_pages_load_no_webassembly()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        await using var context = await Browser!.NewContextAsync();
        var requests = new List<string>();
        context.Request += (_, request) => requests.Add(request.Url);
        foreach (var path in new[] { "/", "/runs", "/runs/new", "/runs/1", "/checkpoints", "/compare" })
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(Server!.BaseAddress, path).ToString());
            await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 60_000 });
            if (path == "/") await BrowserFixture.ScreenshotAsync(page, nameof(The_books_and_runs_pages_load_no_webassembly));
            await page.CloseAsync();
        }

        Assert.NotEmpty(requests);
        Assert.DoesNotContain(requests, url => url.EndsWith(".wasm") || url.Contains("dotnet.js") || url.Contains("blazor.boot") || url.Contains("lstm"));
    }

    [SkippableFact]
    public async Task Variations_show_side_by_side_each_the_servers_text_for_its_seed()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 128);
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenGenerateAsync(context, $"checkpoint={checkpoint}&prime=The%20&length=300&temperature=1&topK=5&seed=20&where=server");

        var variationsField = page.Locator("input[data-field=variations], [data-field=variations] input").First;
        await variationsField.FillAsync("4");
        await variationsField.BlurAsync();
        await page.Locator("[data-testid=generate]").ClickAsync();
        await page.Locator("[data-testid=variations][data-state=done]").WaitForAsync(new() { Timeout = 120_000 });
        await BrowserFixture.ScreenshotAsync(page, nameof(Variations_show_side_by_side_each_the_servers_text_for_its_seed));

        var variations = page.Locator("[data-testid=variation]");
        Assert.Equal(4, await variations.CountAsync());
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((20 + i).ToString(), await variations.Nth(i).GetAttributeAsync("data-seed"));
            var shown = await variations.Nth(i).Locator("div").InnerTextAsync();
            Assert.Equal(await ServerTextAsync(checkpoint, "The ", 300, 1, 5, 20 + i), shown);
        }
    }
}

