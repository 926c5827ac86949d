using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>
/// The address is the state: a shared passage's <i>Generate again</i> draws its text again whatever its top-k ("all"
/// included), in the browser and on the server, and the Generate page's own address, copied after its settings changed,
/// draws the same text in a browser that has seen nothing.
/// </summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class ReproducibleAddressTests(Chromium chromium) : BrowserTest(chromium)
{
    private async Task<PassageDto> ShareAsync(int checkpoint, int? topK)
    {
        var request = new SampleRequest(checkpoint, "the ", 300, 1.0, topK, 11);
        var text = await Server!.SampleAsync(request);
        var response = await Server!.Http.PostAsJsonAsync("/api/passages", new PassageRequest(checkpoint, "the ", 300, 1.0, topK, 11, text), Json.Options);
        return (await response.Content.ReadFromJsonAsync<PassageDto>(Json.Options))!;
    }

    [SkippableFact]
    public async Task Passages_drawn_with_top_k_all_and_with_top_k_5_come_back_from_generate_again_with_their_own_text()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 64);
        var all = await ShareAsync(checkpoint, topK: null);
        var five = await ShareAsync(checkpoint, topK: 5);
        Assert.NotEqual(all.Text, five.Text); // the same seed: only the top-k tells them apart

        await using var context = await Browser!.NewContextAsync();
        foreach (var (passage, topK) in new[] { (all, "all"), (five, "5") })
        {
            var shared = await OpenAsync(context, passage.Url);
            Assert.Contains($"top-k {topK}", await shared.Locator("[data-testid=passage-settings]").InnerTextAsync());
            foreach (var where in new[] { "browser", "server" })
            {
                var again = (await shared.Locator($"[data-testid=again-{where}]").GetAttributeAsync("href"))!;
                Assert.Contains($"topK={topK}", again);
                var page = await OpenGenerateAsync(context, again[(again.IndexOf('?') + 1)..]);
                var text = await GenerateAsync(page);
                await BrowserFixture.ScreenshotAsync(page, $"{nameof(Passages_drawn_with_top_k_all_and_with_top_k_5_come_back_from_generate_again_with_their_own_text)}-{topK}-{where}");
                Assert.True(passage.Text == text, $"top-k {topK} in the {where}: the passage was \"{passage.Text[..40]}…\", Generate again drew \"{text[..Math.Min(40, text.Length)]}…\"");
                await page.CloseAsync();
            }
            Assert.Contains($"topK={topK}", await shared.Locator("[data-testid=continue]").GetAttributeAsync("href"));
        }
    }

    [SkippableTheory]
    [InlineData("top-p")]
    [InlineData("beam")]
    public async Task A_passage_drawn_with_top_p_or_a_beam_and_a_stop_comes_back_from_generate_again_in_the_browser_and_on_the_server(string mode)
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 64);
        var (topP, beam, shown) = mode == "beam" ? ((double?)null, (int?)3, "beam 3") : (0.9, null, "top-p 0.9");
        // A stop the free passage reaches about halfway: the passage ends there, in the browser as on the server.
        var free = await Server!.SampleAsync(new SampleRequest(checkpoint, "the ", 300, 1.0, null, 11, topP, Beam: beam));
        var stop = free.Substring(150, 2);
        var request = new SampleRequest(checkpoint, "the ", 300, 1.0, null, 11, topP, [stop], beam);
        var text = await Server!.SampleAsync(request);
        Assert.True(text.EndsWith(stop, StringComparison.Ordinal), $"the passage ends at its stop \"{stop}\"");
        var response = await Server!.Http.PostAsJsonAsync("/api/passages", new PassageRequest(checkpoint, "the ", 300, 1.0, null, 11, text, topP, [stop], beam), Json.Options);
        var passage = (await response.Content.ReadFromJsonAsync<PassageDto>(Json.Options))!;

        await using var context = await Browser!.NewContextAsync();
        var shared = await OpenAsync(context, passage.Url);
        Assert.Contains(shown, await shared.Locator("[data-testid=passage-settings]").InnerTextAsync());
        foreach (var where in new[] { "browser", "server" })
        {
            var again = (await shared.Locator($"[data-testid=again-{where}]").GetAttributeAsync("href"))!;
            var page = await OpenGenerateAsync(context, again[(again.IndexOf('?') + 1)..]);
            Assert.Equal(text, await GenerateAsync(page));
            Assert.Equal("stop", await page.Locator("[data-testid=rate]").GetAttributeAsync("data-ended-by"));
            await BrowserFixture.ScreenshotAsync(page, $"steered-{mode}-{where}");
            await page.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task After_the_prime_temperature_and_top_k_change_the_pages_address_draws_the_same_text_elsewhere()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        var checkpoint = await Server!.ImportRandomModelAsync(hidden: 64);
        await using var context = await Browser!.NewContextAsync();
        var page = await OpenGenerateAsync(context, $"checkpoint={checkpoint}&prime=The&length=200&temperature=1&topK=5&seed=9&where=server");

        await FillAsync(page, "prime", "the quick ");
        await FillAsync(page, "temperature", "0.6");
        await FillAsync(page, "topk", "");
        await page.WaitForURLAsync(url => url.Contains("temperature=0.6") && url.Contains("topK=all") && url.Contains("prime=the%20quick%20"));
        var text = await GenerateAsync(page);
        var address = page.Url;
        Assert.Equal(await Server!.SampleAsync(new SampleRequest(checkpoint, "the quick ", 200, 0.6, null, 9)), text);

        // A browser that has seen nothing opens the copied address and draws the same text.
        await using var fresh = await Browser.NewContextAsync();
        var copy = await OpenGenerateAsync(fresh, address[(address.IndexOf('?') + 1)..]);
        Assert.Equal("the quick ", await copy.Locator("input[data-field=prime], [data-field=prime] input").First.InputValueAsync());
        Assert.Equal(text, await GenerateAsync(copy));
        await BrowserFixture.ScreenshotAsync(copy, nameof(After_the_prime_temperature_and_top_k_change_the_pages_address_draws_the_same_text_elsewhere));

        // Without a seed, each Generate draws a new one, and the address takes the seed of the text shown.
        await FillAsync(page, "seed", "");
        var random = await GenerateAsync(page);
        var seed = await page.Locator("[data-testid=sample-text]").GetAttributeAsync("data-seed");
        await page.WaitForURLAsync(url => url.Contains($"seed={seed}"));
        var again = await OpenGenerateAsync(fresh, page.Url[(page.Url.IndexOf('?') + 1)..]);
        Assert.Equal(random, await GenerateAsync(again));
    }

    private static async Task FillAsync(IPage page, string field, string value)
    {
        var input = page.Locator($"input[data-field={field}], [data-field={field}] input").First;
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }
}
