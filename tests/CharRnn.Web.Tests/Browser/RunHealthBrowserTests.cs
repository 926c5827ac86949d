using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>A run that stopped learning, on its page in Chromium: the banner, the letter-frequency line, and the remedy in one click.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class RunHealthBrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    [SkippableFact]
    public async Task A_stuck_runs_page_shows_the_banner_and_the_frequency_line_and_the_remedy_opens_the_new_run()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var server = Server!;
        var book = await server.UploadBookAsync(StudioClient.Noise(20_000));
        var options = StudioClient.Tiny(epochs: 2) with { Hidden = 32, BatchSize = 8, SequenceLength = 20, EvaluateEvery = 100 };
        var run = await server.CreateRunAsync(CreateRunRequest.For(book.Id, options, "stuck"));
        var ended = await server.WaitForStatusAsync(run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.NotNull(ended.Health);
        await using var context = await Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

        var page = await OpenAsync(context, $"/runs/{run.Id}");
        var banner = page.Locator("[data-testid=health-banner]");
        await banner.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal(HealthCondition.Stuck, ended.Health!.Condition);
        Assert.Equal("stuck", await banner.GetAttributeAsync("data-condition"));
        Assert.Contains("The learning rate (0.01) is probably too high", await banner.InnerTextAsync());
        // The reference line: its value on the chart, and its label in the legend.
        var chart = page.Locator(".loss-chart");
        Assert.Equal(book.FrequencyLoss!.Value, double.Parse((await chart.GetAttributeAsync("data-frequency-loss"))!, System.Globalization.CultureInfo.InvariantCulture), 9);
        await page.Locator(".loss-chart .legendtext", new() { HasText = "guessing by letter frequency" }).WaitForAsync(new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, nameof(A_stuck_runs_page_shows_the_banner_and_the_frequency_line_and_the_remedy_opens_the_new_run));

        await page.Locator("[data-testid=health-remedy]").ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/runs/(?!{run.Id}$)\d+$"), new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        var next = int.Parse(Regex.Match(page.Url, @"/runs/(\d+)$").Groups[1].Value);
        await page.Locator("[data-testid=remedy-of]").WaitForAsync(new() { Timeout = 30_000 });
        var created = await server.GetAsync<RunDto>($"/api/runs/{next}");
        Assert.Equal((0.005, run.Id), (created.Options.LearningRate, created.RemedyOf));
        await server.Http.PostAsync($"/api/runs/{next}/cancel", null);
    }
}
