using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>
/// A browser test's parts: the real app on Kestrel with a data folder of its own, and the collection's Chromium
/// (<see cref="Chromium"/>) through Playwright. Without Chromium, <see cref="Browser"/> is null and the tests skip, saying why.
/// </summary>
public abstract class BrowserTest(Chromium chromium) : IAsyncLifetime
{
    /// <summary>Settings for this class's server (an owner token, a limit), beyond the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-browser-").FullName;

    protected StudioServer? Server { get; private set; }
    protected IBrowser? Browser => chromium.Browser;

    public Task InitializeAsync()
    {
        if (Browser is not null) Server = new StudioServer(_data, settings: Settings);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Server?.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Opens a page of the app and waits until it is interactive (the layout marks it).</summary>
    protected async Task<IPage> OpenAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Server!.BaseAddress, path).ToString());
        await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 60_000 });
        return page;
    }

    /// <summary>Opens the Generate page at an address and waits until its sampler is ready (the WebAssembly runtime has loaded).</summary>
    protected async Task<IPage> OpenGenerateAsync(IBrowserContext context, string query)
    {
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.RequestFailed += (_, request) => console.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) console.Add($"{response.Status}: {response.Url}"); };
        await page.GotoAsync(new Uri(Server!.BaseAddress, "/generate?" + query).ToString());
        try { await page.Locator("[data-testid=generate]").WaitForAsync(new() { Timeout = 60_000 }); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The Generate page did not become ready. It shows: {await page.Locator("body").InnerTextAsync()}\nConsole:\n{string.Join("\n", console)}", e);
        }
        return page;
    }

    /// <summary>Clicks Generate and returns the text once this passage (not the one shown before it) has ended.</summary>
    protected static async Task<string> GenerateAsync(IPage page)
    {
        var before = int.Parse(await page.Locator("[data-testid=sample-text]").GetAttributeAsync("data-passage") ?? "0");
        await page.Locator("[data-testid=generate]").ClickAsync();
        await page.Locator($"[data-testid=sample-text][data-state=done][data-seed][data-passage='{before + 1}']").WaitForAsync(new() { Timeout = 120_000 });
        return await page.Locator("[data-testid=sample-text]").InnerTextAsync();
    }
}
