using Microsoft.Playwright;

namespace CharRnn.Bench.Browser;

/// <summary>Debian's Chromium, headless and offline, as every browser bench launches it (Playwright's own browsers are never installed).</summary>
public static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(Path)) throw new InvalidOperationException($"Chromium is not installed at {Path} (apt-get install chromium).");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Path, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }
}
