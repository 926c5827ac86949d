using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>A fine-tune in Chromium: from a checkpoint's link, on a second book, with both books' validation curves on the new run's page.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class FineTuneBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [SkippableFact]
    public async Task A_checkpoints_fine_tune_link_starts_a_run_on_a_second_book_whose_page_draws_both_validation_curves()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var server = Server!;
        // 31,500 characters each: the Fine-tune preset's batch (32 × 64) fits each validation split once, 13 steps an epoch.
        var verse = await server.UploadBookAsync(StudioClient.Repeated(700), "verse.txt");
        var shouted = await server.UploadBookAsync(StudioClient.Repeated(700).Replace('.', '!').Replace("dog", "DOG"), "shouted.txt");
        var source = await server.CreateRunAsync(StudioClient.TinyRun(verse.Id, StudioClient.Tiny(epochs: 1) with { BatchSize = 32, SequenceLength = 64 }));
        await server.WaitForStatusAsync(source.Id, RunStatus.Completed);
        var checkpoint = (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={source.Id}"))[^1];
        await using var context = await Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

        var page = await OpenAsync(context, "/checkpoints");
        await page.Locator($"tr:has([data-testid=fine-tune-link][href$='initFrom={checkpoint.Id}']) [data-testid=fine-tune-link]").ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/runs/new\?initFrom={checkpoint.Id}$"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        await page.Locator("input[data-field=initFrom], [data-field=initFrom] input").First.WaitForAsync(new() { Timeout = 30_000 });
        // The second book, chosen in the form's book list.
        await page.Locator("[data-field=book]").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "shouted" }).ClickAsync();
        await page.Locator("[data-start]").ClickAsync();

        await page.WaitForURLAsync(new Regex($@"/runs/(?!{source.Id}$)\d+$"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        try { await page.Locator("[data-status=completed]").WaitForAsync(new() { Timeout = 120_000 }); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The fine-tune did not complete; the page at {page.Url} shows: {await page.Locator("body").InnerTextAsync()}", e);
        }
        var id = int.Parse(Regex.Match(page.Url, @"/runs/(\d+)$").Groups[1].Value);
        var run = await server.GetAsync<RunDto>($"/api/runs/{id}");
        Assert.Equal((shouted.Id, checkpoint.Id, 4), (run.BookId, run.FineTunedFrom!.CheckpointId, run.FineTunedFrom.CharactersAdded));
        // Both curves, each named in the legend: the run's own book and, by default, the book it came from.
        var chart = page.Locator(".loss-chart");
        Assert.Equal("2", await chart.GetAttributeAsync("data-val-points"));
        Assert.Equal("2", await chart.GetAttributeAsync("data-other-book-points"));
        await page.Locator(".loss-chart .legendtext", new() { HasText = "validation: verse" }).WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("'verse' (every character known to the model)", await page.Locator("[data-testid=also-evaluated-on]").InnerTextAsync());
        Assert.Contains("Fine-tuned from", await page.Locator("[data-testid=fine-tuned-from]").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, nameof(A_checkpoints_fine_tune_link_starts_a_run_on_a_second_book_whose_page_draws_both_validation_curves));
    }
}
