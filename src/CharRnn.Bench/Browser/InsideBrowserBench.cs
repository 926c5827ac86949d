using System.CommandLine;
using System.Globalization;
using CharRnn.Bench.Reports;
using CharRnn.Bench.Web;
using Microsoft.Playwright;

namespace CharRnn.Bench.Browser;

/// <summary>
/// <c>charrnn-bench inside-browser</c>: publishes the app as deployed, opens its Inside page on a text of one's own in
/// headless Chromium with a 2×512 model, types into it a character at a time, and reads the page's own figure for each
/// keystroke: from the input event to the view rendered again (the new character read in the WebAssembly module, its
/// state and guesses kept, every character's colour and value re-rendered).
/// </summary>
public static class InsideBrowserBench
{
    private const double Target = 16;

    private static readonly Option<int> Keystrokes = new("--keystrokes") { Description = "Characters typed, one at a time.", DefaultValueFactory = _ => 200 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("inside-browser", "Measure a keystroke on the Inside page (type and watch) in headless Chromium.") { Keystrokes, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var keystrokes = parse.GetValue(Keystrokes);
        await using var host = await PublishedApp.StartAsync(RepositoryPath.Resolve("src/CharRnn.Web"));
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}; published app at {host.Address}");
        var checkpoint = await BenchHost.ImportRandomModelAsync(host.Address, hidden: 512, layers: 2);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        const string start = "The ";
        await page.GotoAsync(new Uri(host.Address, CharRnn.Contracts.InsideAddress.For(checkpoint, start)).ToString());
        await page.Locator($"[data-testid=inside-text][data-state=done][data-characters='{start.Length}']").WaitForAsync(new() { Timeout = 120_000 });
        await page.Locator("[data-testid=inside-typing]").FocusAsync();
        await page.Keyboard.PressAsync("End");

        // Typed as a person types, one character at a time, each waited for before the next.
        const string verse = "the quick brown fox jumps over the lazy dog. ";
        var (times, reads) = (new List<double>(), new List<double>());
        for (var i = 0; i < keystrokes; i++)
        {
            await page.Keyboard.TypeAsync(verse[i % verse.Length].ToString());
            var shown = start.Length + i + 1;
            var figure = page.Locator($"[data-testid=keystroke][data-at='{shown}']");
            await figure.WaitForAsync(new() { Timeout = 30_000 });
            times.Add(double.Parse((await figure.GetAttributeAsync("data-ms"))!, CultureInfo.InvariantCulture));
            reads.Add(double.Parse((await figure.GetAttributeAsync("data-read-ms"))!, CultureInfo.InvariantCulture));
        }
        times.Sort();
        reads.Sort();
        Console.WriteLine($"Reading the character alone (before rendering): median {reads[reads.Count / 2]:F1} ms");
        double Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        Console.WriteLine($"Keystrokes: median {Percentile(0.5):F1} ms, 95th percentile {Percentile(0.95):F1} ms, slowest {times[^1]:F1} ms");

        var table = BenchmarkReport.Table(
        [
            ($"A keystroke, median of {keystrokes}", $"{Percentile(0.5):F1} ms", $"≤ {Target:F0} ms", Percentile(0.5) <= Target),
            ("A keystroke, 95th percentile", $"{Percentile(0.95):F1} ms", $"≤ {Target:F0} ms", Percentile(0.95) <= Target),
            ("The slowest keystroke", $"{times[^1]:F1} ms", "", null),
        ]);
        BenchmarkReport.Write(parse.GetValue(Output)!, "inside-browser", "In the browser: a keystroke on the Inside page (`inside-browser`)",
            $", Chromium {browser.Version} headless. The model is a 2×512 LSTM with random weights over 83 symbols; the text begins as \"{start}\" and "
            + $"{keystrokes} characters are typed one at a time. Each figure is the page's own: from the input event to the end of the render that "
            + "shows the new character (read by the WebAssembly module, its layer state and five guesses kept, every character's colour re-rendered); "
            + "the browser's paint after it is not included.",
            table);
        return 0;
    }
}
