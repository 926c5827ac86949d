using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CharRnn.Web.Tests.Browser;

/// <summary>Comparing checkpoints side by side, and shared passages, in Chromium.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class CompareAndShareTests(Chromium chromium, ITestOutputHelper output) : BrowserTest(chromium)
{
    /// <summary>A tiny run on the verse, trained to its end: ten checkpoints, one every 10 steps.</summary>
    private async Task<List<CheckpointDto>> TrainedCheckpointsAsync()
    {
        var server = Server!;
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 2));
        while ((await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Status.IsActive()) await Task.Delay(100);
        return await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
    }

    [SkippableFact]
    public async Task Two_checkpoints_stream_side_by_side_with_their_bits_per_character_and_a_column_is_shared()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoints = await TrainedCheckpointsAsync();
        var (early, late) = (checkpoints[0], checkpoints[^1]);
        await using var context = await Browser!.NewContextAsync();

        var page = await OpenAsync(context, $"/compare?checkpoints={late.Id},{early.Id}&prime=the&length=300&temperature=0.8&topK=5&seed=4");
        var columns = page.Locator("[data-testid=compare-column]");
        await page.WaitForFunctionAsync(@"() => { const c = document.querySelectorAll('[data-testid=compare-column]');
            return c.length === 2 && [...c].every(x => x.querySelector('[data-testid=sample-text]').dataset.state === 'done'
                && /^\d/.test(x.querySelector('[data-testid=bits-per-char]').textContent)); }", null, new() { Timeout = 60_000 });
        await page.Locator("[data-testid=loss-overlay] .main-svg").First.WaitForAsync(new() { Timeout = 30_000 });
        // One run, one book: its letter-frequency line, unnamed by book, beside the run's curve.
        var book = await Server!.GetAsync<BookDto>($"/api/books/{(await Server.GetAsync<RunDto>($"/api/runs/{late.RunId}")).BookId}");
        Assert.Equal(book.FrequencyLoss!.Value.ToString("R", CultureInfo.InvariantCulture), await page.Locator("[data-testid=loss-overlay]").GetAttributeAsync("data-frequency-losses"));
        Assert.Equal("guessing by letter frequency", await page.Locator("[data-testid=loss-overlay] .legendtext").Last.TextContentAsync());
        await BrowserFixture.ScreenshotAsync(page, nameof(Two_checkpoints_stream_side_by_side_with_their_bits_per_character_and_a_column_is_shared));

        Assert.Equal(late.Id.ToString(), await columns.Nth(0).GetAttributeAsync("data-checkpoint")); // in the order given
        var bits = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            Assert.StartsWith("the", await columns.Nth(i).Locator("[data-testid=sample-text]").InnerTextAsync());
            bits.Add(double.Parse(await columns.Nth(i).Locator("[data-testid=bits-per-char]").InnerTextAsync(), CultureInfo.InvariantCulture));
        }
        output.WriteLine($"bits per character: step {late.Step} {bits[0]:F3}, step {early.Step} {bits[1]:F3}");
        var api = await Server!.GetAsync<BitsDto>($"/api/checkpoints/{late.Id}/bits");
        Assert.Equal(api.BitsPerChar, bits[0], 3);
        Assert.True(bits[0] < bits[1], "the trained-longer checkpoint should be less surprised by the verse");
        Assert.Equal(2, await page.Locator("[data-testid=surprise]").CountAsync());

        // Share the second column and open the link in a browser that has seen nothing.
        var text = await columns.Nth(1).Locator("[data-testid=sample-text]").InnerTextAsync();
        await columns.Nth(1).Locator("[data-testid=share]").ClickAsync();
        var link = await columns.Nth(1).Locator("[data-testid=share-link]").GetAttributeAsync("href");
        await using var fresh = await Browser!.NewContextAsync();
        var shared = await OpenAsync(fresh, link!);
        Assert.Equal(text, await shared.Locator("[data-testid=passage-text]").InnerTextAsync());
        Assert.Contains("seed 4", await shared.Locator("[data-testid=passage-settings]").InnerTextAsync());
    }

    [SkippableFact]
    public async Task A_passage_with_markup_shows_it_as_text_and_runs_nothing()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoints = await TrainedCheckpointsAsync();
        const string hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> the end";
        var response = await Server!.Http.PostAsJsonAsync("/api/passages", new PassageRequest(checkpoints[^1].Id, "<b>", 10, 1, 5, 1, hostile), Json.Options);
        var passage = (await response.Content.ReadFromJsonAsync<PassageDto>(Json.Options))!;
        await using var context = await Browser!.NewContextAsync();
        var dialogs = new List<string>();

        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
        await page.GotoAsync(new Uri(Server!.BaseAddress, passage.Url).ToString());
        await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(page, nameof(A_passage_with_markup_shows_it_as_text_and_runs_nothing));

        Assert.Equal(hostile, await page.Locator("[data-testid=passage-text]").InnerTextAsync());
        Assert.Equal(0, await page.Locator("[data-testid=passage-text] script, [data-testid=passage-text] img").CountAsync());
        Assert.Empty(dialogs);
        Assert.Contains(hostile[..20], await page.Locator("meta[property='og:description']").GetAttributeAsync("content"));
    }
}
