using System.Text;
using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>
/// A person's path through the app in real Chromium (Debian's, at /usr/bin/chromium; .ci/run installs it):
/// upload a book, start a run, watch it train live, generate text. Skipped, and reported so, without Chromium.
/// </summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class BrowserTests(Chromium chromium) : BrowserTest(chromium)
{
    private static async Task SetNumberAsync(IPage page, string field, string value)
    {
        var input = page.Locator($"input[data-field={field}], [data-field={field}] input").First;
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    [SkippableFact]
    public async Task A_person_uploads_a_book_trains_on_it_watching_live_and_generates_text()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        await using var context = await Browser!.NewContextAsync();

        // Books: upload through the file input.
        var books = await OpenAsync(context, "/");
        // Blazor listens for a chosen file only once its script has set the input up (it numbers the input's files
        // from then on); a file set before that is dropped without a word, which is what a slow CI machine showed.
        await books.WaitForFunctionAsync("() => document.querySelector('input[type=file]')?._blazorInputFileNextFileId !== undefined",
            null, new() { Timeout = 60_000 });
        await books.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "verse.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(StudioClient.Repeated(50)),
        });
        try { await books.Locator("tbody tr", new() { HasText = "verse" }).WaitForAsync(new() { Timeout = 60_000 }); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The uploaded book did not appear; the page shows: {await books.Locator("body").InnerTextAsync()}", e);
        }
        Assert.Contains("2,250", await books.Locator("tbody tr").First.InnerTextAsync());

        // New run: a tiny model, so the run ends in seconds.
        var newRun = await OpenAsync(context, "/runs/new");
        await SetNumberAsync(newRun, "hidden", "16");
        await SetNumberAsync(newRun, "batchSize", "4");
        await SetNumberAsync(newRun, "sequenceLength", "10");
        await SetNumberAsync(newRun, "epochs", "3");
        await newRun.Locator("[data-steps='150']").WaitForAsync();
        await newRun.Locator("[data-start]").ClickAsync();

        // The run page (Blazor navigates within the page, so wait for its content, not for a load): live steps, then the end.
        try { await newRun.Locator("[data-status=completed]").WaitForAsync(new() { Timeout = 120_000 }); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The run did not complete; the page at {newRun.Url} shows: {await newRun.Locator("body").InnerTextAsync()}", e);
        }
        Assert.EndsWith("/runs/1", newRun.Url);
        Assert.Equal("150", await newRun.Locator("[data-step]").InnerTextAsync());
        Assert.Equal("150", await newRun.Locator("div.loss-chart").GetAttributeAsync("data-train-points"));
        Assert.True(await newRun.Locator("[data-sample]").CountAsync() > 0);

        // A second browser that opens the finished run sees its whole history.
        await using var other = await Browser!.NewContextAsync();
        var watcher = await OpenAsync(other, "/runs/1");
        Assert.Equal("150", await watcher.Locator("div.loss-chart").GetAttributeAsync("data-train-points"));

        // Generate: the text streams into the page.
        var generate = await OpenAsync(context, "/generate?run=1");
        var prime = generate.Locator("input[data-field=prime], [data-field=prime] input").First;
        await prime.FillAsync("the ");
        await prime.PressAsync("Tab");
        await generate.Locator("[data-generate]").ClickAsync();
        await generate.Locator("[data-rate]").WaitForAsync(new() { Timeout = 60_000 });
        await generate.Locator("[data-generate]").WaitForAsync(new() { Timeout = 60_000 }); // the stream ended
        var text = await generate.Locator("[data-output]").InnerTextAsync();
        await BrowserFixture.ScreenshotAsync(generate, nameof(A_person_uploads_a_book_trains_on_it_watching_live_and_generates_text));
        Assert.StartsWith("the ", text);
        Assert.True(text.Length >= 1000, $"only {text.Length} characters arrived");
    }
}
