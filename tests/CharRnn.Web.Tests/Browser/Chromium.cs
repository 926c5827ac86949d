using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>
/// One Chromium for all the browser tests (<see cref="ChromiumCollection"/>): each test opens a context of its own in
/// it (its own cookies, cache and storage), so tests stay apart without starting a browser each. Without Chromium,
/// <see cref="Browser"/> is null and the tests skip, saying why.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (!BrowserFixture.Available) return;
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser tests, sharing one <see cref="Chromium"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Chromium";
}
