using System.CommandLine;
using System.Globalization;
using CharRnn.Bench.Reports;
using CharRnn.Bench.Web;
using Microsoft.Playwright;

namespace CharRnn.Bench.Browser;

/// <summary>
/// <c>charrnn-bench browser</c>: publishes the app as it would be deployed (Release, trimmed WebAssembly, compressed
/// assets), starts it on 127.0.0.1, opens its Generate page in headless Chromium (Debian's, /usr/bin/chromium) and
/// measures, through the real page: in-browser characters/s for a 2×512 model after warm-up, with the WebAssembly module
/// and with .NET's own C# engine in the same browser; the longest task while sampling; and what a first visit downloads
/// for the in-browser sampler (the runtime, the assemblies and the module, as served, without the checkpoint).
/// </summary>
public static class BrowserBench
{
    private const int DotnetChars = 300;

    private static readonly Option<int> Chars = new("--chars") { Description = "Characters sampled with the module after its warm-up.", DefaultValueFactory = _ => 20_000 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("browser", "Measure the in-browser sampler through the real Generate page in headless Chromium.") { Chars, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var chars = parse.GetValue(Chars);
        await using var host = await PublishedApp.StartAsync(RepositoryPath.Resolve("src/CharRnn.Web"));
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}; published app at {host.Address}");
        var checkpoint = await BenchHost.ImportRandomModelAsync(host.Address, hidden: 512, layers: 2);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var version = browser.Version;

        // A first visit in a fresh profile: everything the sampler needs arrives now.
        await using var context = await browser.NewContextAsync();
        var (files, transferred, decoded) = await FirstVisitAsync(context, host.Address, checkpoint);
        var module = await MeasureAsync(context, host.Address, checkpoint, "module", 2000, chars);
        // .NET's engine runs in the browser's interpreter, hundreds of times slower: a shorter warm-up and passage.
        var dotnet = await MeasureAsync(context, host.Address, checkpoint, "dotnet", 100, DotnetChars);

        var table = BenchmarkReport.Table(
        [
            ("In the browser, 2×512, WebAssembly SIMD module (the default)", $"{module.CharsPerSecond:N0} chars/s", "≥ 1,000", module.CharsPerSecond >= 1000),
            ("In the browser, 2×512, .NET's own C# engine (Portable kernel)", $"{dotnet.CharsPerSecond:N0} chars/s", "", null),
            ("Module ÷ .NET engine, same browser", $"{module.CharsPerSecond / dotnet.CharsPerSecond:F1}×", "", null),
            ("Longest task while sampling with the module (PerformanceObserver 'longtask')", module.LongestTask == 0 ? "none over 50 ms" : $"{module.LongestTask:N0} ms", "< 50 ms", module.LongestTask < 50),
            ("Longest task from the click, the model's loading included", module.LongestWithLoad == 0 ? "none over 50 ms" : $"{module.LongestWithLoad:N0} ms", "", null),
            ("First visit, in-browser sampler (runtime, assemblies, module; no checkpoint)", $"{transferred / 1e6:N2} MB transferred ({decoded / 1e6:N2} MB uncompressed, {files} files)", "", null),
        ]);
        BenchmarkReport.Write(parse.GetValue(Output)!, "browser", "In the browser: the Generate page sampling in headless Chromium (`browser`)",
                $", Chromium {version} headless. The model is a 2×512 LSTM "
                + "with random weights over 83 symbols; characters/s is the page's own figure (characters drawn ÷ time from the first to the last, "
                + $"yields to the browser included) for {chars:N0} characters after a 2,000-character warm-up; the .NET engine ran {DotnetChars:N0} after 100. "
                + "Long tasks are the browser's own report (tasks over 50 ms; the bench first checks that a deliberate 80 ms task is reported). The first-visit bytes are the `transferSize` of every `_framework/` and `/lstm/` "
                + "resource on a fresh profile, as the published app (`dotnet publish -c Release`, which trims the WebAssembly assemblies and precompresses them) sent them.",
                table);
        return 0;
    }

    /// <summary>What the in-browser sampler downloads on a first visit: the runtime, the assemblies and the module (not the checkpoint).</summary>
    private static async Task<(int Files, long Transferred, long Decoded)> FirstVisitAsync(IBrowserContext context, Uri address, int checkpoint)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(address, $"/generate?checkpoint={checkpoint}&prime=The&length=200&temperature=1&topK=5&seed=1&where=browser").ToString());
        await page.Locator("[data-testid=generate]").WaitForAsync(new() { Timeout = 120_000 });
        await page.Locator("[data-testid=cache-state]").WaitForAsync(new() { Timeout = 60_000 }); // the module is loaded by now
        var resources = await page.EvaluateAsync<ResourceEntry[]>(
            "() => performance.getEntriesByType('resource').map(e => ({ name: e.name, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }))");
        var sampler = resources.Where(r => r.Name.Contains("/_framework/") || r.Name.Contains("/lstm/")).ToList();
        var (transferred, decoded) = (sampler.Sum(r => r.TransferSize), sampler.Sum(r => r.DecodedBodySize));
        Console.WriteLine($"first visit: {sampler.Count} files for the in-browser sampler, {transferred / 1e6:N2} MB transferred ({decoded / 1e6:N2} MB decoded)");
        return (sampler.Count, transferred, decoded);
    }

/// <summary>Characters/s the page reports with <paramref name="kernel"/> after a warm-up, and the longest tasks the browser saw.</summary>
private static async Task<(double CharsPerSecond, double LongestTask, double LongestWithLoad)> MeasureAsync(
    IBrowserContext context, Uri address, int checkpoint, string kernel, int warmup, int length)
    {
        var query = $"checkpoint={checkpoint}&prime=The&temperature=1&topK=5&seed=1&where=browser" + (kernel == "module" ? "" : $"&kernel={kernel}");
        var run = await context.NewPageAsync();
        await run.GotoAsync(new Uri(address, $"/generate?{query}&length={warmup}").ToString());
        await run.Locator("[data-testid=generate]").WaitForAsync(new() { Timeout = 120_000 });
        await GenerateAsync(run); // warm-up: the model is read and the runtime's tiers settle
        await run.GotoAsync(new Uri(address, $"/generate?{query}&length={length}").ToString());
        await run.Locator("[data-testid=generate]").WaitForAsync(new() { Timeout = 120_000 });
        // The browser's own long-task reports (over 50 ms): from the click (the model loads first) and once characters flow.
        await run.EvaluateAsync(@"() => { window.__tasks = []; new PerformanceObserver(list => { for (const e of list.getEntries())
            window.__tasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: false }); }");
        // The observer sees long tasks here: a deliberate 80 ms one must be reported, then is forgotten.
        await run.EvaluateAsync("() => new Promise(resolve => setTimeout(() => { const t = performance.now(); while (performance.now() - t < 80) {} resolve(); }, 0))");
        await run.WaitForFunctionAsync("window.__tasks.some(t => t.duration >= 80)", null, new() { Timeout = 10_000 });
        await run.EvaluateAsync("() => { window.__tasks = []; }");
        await run.Locator("[data-testid=generate]").ClickAsync();
        await run.WaitForFunctionAsync("document.querySelector('[data-testid=sample-text]').textContent.length > 20", null, new() { Timeout = 600_000 });
        var samplingFrom = await run.EvaluateAsync<double>("() => performance.now()");
        await run.Locator("[data-testid=sample-text][data-state=done][data-seed]").WaitForAsync(new() { Timeout = 600_000 });
        var tasks = await run.EvaluateAsync<LongTask[]>("() => window.__tasks");
        var longest = tasks.Where(t => t.Start >= samplingFrom).Select(t => t.Duration).DefaultIfEmpty(0).Max();
        var longestWithLoad = tasks.Select(t => t.Duration).DefaultIfEmpty(0).Max();
        var rate = double.Parse((await run.Locator("[data-testid=rate]").GetAttributeAsync("data-chars-per-second"))!, CultureInfo.InvariantCulture);
        await run.CloseAsync();
        Console.WriteLine($"{kernel}: {rate:N0} chars/s over {length:N0} characters; longest task {longest:N0} ms while sampling, {longestWithLoad:N0} ms with the model's loading");
        return (rate, longest, longestWithLoad);
    }

    private static async Task GenerateAsync(IPage page)
    {
        await page.Locator("[data-testid=generate]").ClickAsync();
        await page.Locator("[data-testid=sample-text][data-state=done][data-seed]").WaitForAsync(new() { Timeout = 600_000 });
    }
}

internal sealed class LongTask
{
    public double Start { get; set; }
    public double Duration { get; set; }
}

internal sealed class ResourceEntry
{
    public string Name { get; set; } = "";
    public long TransferSize { get; set; }
    public long DecodedBodySize { get; set; }
}
