using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Browser;

/// <summary>An exposed app in Chromium: a visitor watches a run but cannot change it; the owner signs in and can.</summary>
[Slow(SlowBecause.Browser)]
[Collection(ChromiumCollection.Name)]
public class SignInTests(Chromium chromium) : BrowserTest(chromium)
{
    private const string Token = "browser-owner-token";

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string> { ["CharRnn:OwnerToken"] = Token };

    [SkippableFact]
    public async Task A_visitor_watches_without_buttons_and_the_owner_signs_in_to_change_things()
    {
        Skip.If(Browser is null, BrowserFixture.Missing);
        Server!.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var book = await Server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await Server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1000, evaluateEvery: 100));
        await Server.WaitForStatusAsync(run.Id, RunStatus.Running);

        // A visitor: the run page, live, without Cancel; New run sends them to sign in.
        await using var visitor = await Browser!.NewContextAsync();
        var watching = await OpenAsync(visitor, $"/runs/{run.Id}");
        await watching.Locator("[data-status=running]").WaitForAsync();
        Assert.Equal(0, await watching.Locator("[data-cancel]").CountAsync());
        var newRun = await visitor.NewPageAsync();
        await newRun.GotoAsync(new Uri(Server.BaseAddress, "/runs/new").ToString());
        await newRun.Locator("[data-testid=signin-form]").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("/signin", newRun.Url);

        // The owner signs in on that page and lands back where they were going, with the run's Cancel button there.
        await newRun.Locator("[data-testid=signin-token]").FillAsync(Token);
        await newRun.Locator("[data-testid=signin-submit]").ClickAsync();
        await newRun.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 60_000 });
        Assert.EndsWith("/runs/new", newRun.Url);
        var owned = await OpenAsync(visitor, $"/runs/{run.Id}");
        await owned.Locator("[data-cancel]").ClickAsync();
        await owned.Locator("[data-status=cancelled]").WaitForAsync(new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(owned, nameof(A_visitor_watches_without_buttons_and_the_owner_signs_in_to_change_things));
    }
}
