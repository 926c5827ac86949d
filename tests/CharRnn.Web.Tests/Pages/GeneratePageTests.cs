using Bunit;
using CharRnn.Web.Client.Pages;
using CharRnn.Web.Client.Sampling;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Pages;

/// <summary>
/// The Generate page (it runs in the browser, talking to the REST API and /hubs/sampling): rendered by bunit against the
/// real app on Kestrel over the same data folder, sampling on the server. In-browser sampling is tested in Chromium (Browser/).
/// </summary>
public class GeneratePageTests : PageTestContext
{
    private StudioServer? _server;

    protected override void AddServices(IServiceCollection services)
    {
        services.AddScoped(_ => new HttpClient { BaseAddress = (_server ??= new StudioServer(DataDirectory)).BaseAddress });
        services.AddScoped<IModelSource, BrowserModelStore>();
    }

    protected override void DisposeMore() => _server?.Dispose();

    private IRenderedComponent<Generate> Open(string query)
    {
        var cut = RenderAt<Generate>("/generate?" + query);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=generate], [role=alert]")), TimeSpan.FromSeconds(30));
        return cut;
    }

    /// <summary>
    /// Clicks on the renderer's own turn: the page writes its settings into its address as it opens and after each
    /// drawing, and the re-render that follows may replace a button between finding it and clicking it.
    /// </summary>
    private static Task ClickAsync(IRenderedComponent<Generate> cut, string selector) => cut.InvokeAsync(() => cut.Find(selector).Click());

    [Fact]
    public async Task The_address_fills_the_form_and_the_servers_text_streams_in_starting_with_the_prime()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null);
        var cut = Open($"checkpoint={checkpoint.Id}&prime=abc%20&length=300&temperature=0.5&topK=3&seed=42&where=server");
        Assert.Equal("abc ", Input(cut, "data-field=prime").GetAttribute("value"));

        await ClickAsync(cut, "[data-testid=generate]");

        cut.WaitForAssertion(() =>
        {
            var text = cut.Find("[data-testid=sample-text]");
            Assert.Equal("done", text.GetAttribute("data-state"));
            Assert.StartsWith("abc ", text.TextContent);
            Assert.Equal(4 + 300, text.TextContent.Length);
        }, TimeSpan.FromSeconds(30));
        Assert.Matches(@"seed 42 · [\d,]+ chars/s · on the server", cut.Find("[data-testid=rate]").TextContent);
    }

    [Fact]
    public async Task The_stop_button_ends_a_long_stream_early()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, hidden: 512);
        var cut = Open($"checkpoint={checkpoint.Id}&prime=abc&length=100000&where=server");

        await ClickAsync(cut, "[data-testid=generate]");
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=sample-text]").TextContent.Length > 10), TimeSpan.FromSeconds(20));
        await ClickAsync(cut, "[data-testid=stop]");

        cut.WaitForAssertion(() => Assert.Equal("done", cut.Find("[data-testid=sample-text]").GetAttribute("data-state")), TimeSpan.FromSeconds(10));
        Assert.True(cut.Find("[data-testid=sample-text]").TextContent.Length < 100_000);
    }

    [Fact]
    public async Task A_prime_with_unknown_characters_is_refused_naming_them()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null);
        var cut = Open($"checkpoint={checkpoint.Id}&prime=xyz&where=server");

        await ClickAsync(cut, "[data-testid=generate]");

        cut.WaitForAssertion(() => Assert.Contains("'x', 'y', 'z'", cut.Find("[data-error]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal("", cut.Find("[data-testid=sample-text]").TextContent);
    }

    [Fact]
    public async Task The_best_checkpoint_of_a_run_is_chosen_by_default()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 2.0, step: 10);
        var best = await AddCheckpointAsync("abc ", run.Id, valLoss: 1.2, step: 20);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 1.5, step: 30);

        var cut = Open($"run={run.Id}");

        Assert.Equal(best.Id.ToString(), cut.Find("[data-testid=sample-text]").GetAttribute("data-checkpoint"));
    }

    [Fact]
    public async Task A_model_too_large_for_a_browser_is_offered_on_the_server_only_with_the_reason()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null);
        await using (var context = await Db.CreateDbContextAsync())
        {
            context.Checkpoints.Find(checkpoint.Id)!.SizeBytes = 300_000_000;
            await context.SaveChangesAsync();
        }

        var cut = Open($"checkpoint={checkpoint.Id}&where=browser");

        Assert.Contains("over the 104.9 MB a browser tab is given", cut.Find("[data-testid=browser-refusal]").TextContent);
        Assert.True(cut.Find("input[data-where=browser]").HasAttribute("disabled"));
        Assert.Contains("mud-checked", cut.Find("input[data-where=server]").ParentElement!.ClassName);
    }
}
