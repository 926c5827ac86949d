using Microsoft.Playwright;

namespace CharRnn.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium (at /usr/bin/chromium; .ci/run installs it) driven by Playwright, never a browser of its own.
/// Each test saves a screenshot of where it ended under the test output's <c>screenshots/</c> folder.
/// </summary>
public static class BrowserFixture
{
    public const string Chromium = "/usr/bin/chromium";

    public static bool Available => File.Exists(Chromium);

    public static string Missing => $"Chromium is not installed at {Chromium} (apt-get install chromium).";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    });

    /// <summary>Where the screenshots go: <c>tests/CharRnn.Web.Tests/bin/…/screenshots/</c>.</summary>
    public static string ScreenshotPath(string test) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, test + ".png");

    public static Task ScreenshotAsync(IPage page, string test) =>
        page.ScreenshotAsync(new() { Path = ScreenshotPath(test), FullPage = true });
}
