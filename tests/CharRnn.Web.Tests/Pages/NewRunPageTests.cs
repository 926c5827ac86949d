using Bunit;
using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Pages;

public class NewRunPageTests : PageTestContext
{
    private static string Verse(int times) => string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog.\n", times));

    [Fact]
    public async Task Presets_fill_in_their_values()
    {
        await AddBookAsync(Verse(5000));
        var cut = Render<NewRun>();
        string Hidden() => Input(cut, "data-field=hidden").GetAttribute("value")!;

        Assert.Equal("512", Hidden()); // the notebook's, by default
        cut.Find("[data-preset=quick]").Click();
        Assert.Equal("256", Hidden());
        Assert.Equal("64", Input(cut, "data-field=batch").GetAttribute("value"));
        cut.Find("[data-preset=notebook]").Click();
        Assert.Equal("512", Hidden());
        Assert.Equal("20", Input(cut, "data-field=epochs").GetAttribute("value"));
    }

    [Fact]
    public async Task It_shows_the_steps_an_estimate_and_the_device()
    {
        await AddBookAsync(Verse(5000)); // 225,000 characters: 202,500 train, 15 steps an epoch at 128 × 100
        var cut = Render<NewRun>();
        Assert.Equal("300", cut.Find("[data-steps]").GetAttribute("data-steps"));
        Assert.Contains("About", cut.Find("[data-estimate]").TextContent);
        Assert.Contains("CPU", cut.Find("[data-device]").TextContent);
        Assert.Empty(cut.FindAll("[data-problem]"));
        Assert.False(cut.Find("[data-start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_book_too_short_for_the_batch_says_which_sizes_fit_and_blocks_the_start()
    {
        await AddBookAsync(Verse(250));
        var cut = Render<NewRun>();
        var problem = cut.Find("[data-problem]").TextContent;
        Assert.Contains("too short for one batch", problem);
        Assert.Contains("batch size 11 or less with sequence length 100", problem);
        Assert.True(cut.Find("[data-start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_estimate_uses_the_speed_a_run_measured_on_this_server()
    {
        var book = await AddBookAsync(Verse(5000)); // 300 steps of 12,800 characters with the notebook's options
        var run = await AddRunAsync(book.Id, CharRnn.Web.Data.RunStatus.Completed, step: 10);
        await using (var context = await Db.CreateDbContextAsync())
        {
            // The notebook's model at 3,840,000 characters in 300 steps: 1,000 s at 3,840 characters/s.
            context.Metrics.AddRange(Enumerable.Range(1, 10).Select(i => new CharRnn.Web.Data.MetricPoint { RunId = run.Id, Step = i, TrainLoss = 3, CharsPerSecond = 3840, At = DateTime.UtcNow }));
            await context.SaveChangesAsync();
        }
        var cut = Render<NewRun>();
        Assert.Contains("About 16 min 40 s", cut.Find("[data-estimate]").TextContent);
        Assert.Contains("test run", cut.Markup);
    }

    [Fact]
    public async Task Without_a_book_it_points_to_the_books_page()
    {
        var cut = Render<NewRun>();
        Assert.Contains("Upload a book first", cut.Markup);
        await Task.CompletedTask;
    }
}
