using Bunit;
using CharRnn.Web.Components.Pages;
using CharRnn.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Pages;

public class ComparePageTests : PageTestContext
{
    [Fact]
    public async Task Two_checkpoints_from_the_address_stream_side_by_side_in_the_order_given()
    {
        var first = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 1);
        var second = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 2);

        var cut = RenderAt<Compare>($"/compare?checkpoints={second.Id},{first.Id}&prime=abc&length=120&temperature=0.9&topK=4&seed=5");

        cut.WaitForAssertion(() =>
        {
            var columns = cut.FindAll("[data-testid=compare-column]");
            Assert.Equal([second.Id.ToString(), first.Id.ToString()], columns.Select(c => c.GetAttribute("data-checkpoint")));
            Assert.All(columns, c =>
            {
                var text = c.QuerySelector("[data-testid=sample-text]")!;
                Assert.Equal("done", text.GetAttribute("data-state"));
                Assert.StartsWith("abc", text.TextContent);
                Assert.Equal(3 + 120, text.TextContent.Length);
            });
        }, TimeSpan.FromSeconds(20));
        // Different weights, same seed: different passages.
        var texts = cut.FindAll("[data-testid=compare-column] [data-testid=sample-text]").Select(t => t.TextContent).ToList();
        Assert.NotEqual(texts[0], texts[1]);
    }

    [Fact]
    public async Task Imported_checkpoints_are_scored_on_a_pasted_text_and_the_figure_is_the_engines()
    {
        var first = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 1);
        var second = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 2);
        var cut = RenderAt<Compare>($"/compare?checkpoints={first.Id},{second.Id}&prime=a&length=20&seed=1");
        cut.WaitForAssertion(() => Assert.Contains("paste a text", cut.Markup), TimeSpan.FromSeconds(20));
        Assert.All(cut.FindAll("[data-testid=bits-per-char]"), b => Assert.Equal("—", b.TextContent));

        cut.Find("textarea").Change("abc def abc def");
        cut.Find("[data-testid=score]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=surprise]").Count), TimeSpan.FromSeconds(20));
        var expected = await Services.GetRequiredService<CheckpointScoring>().ScoreAsync(first.Id, "abc def abc def");
        Assert.Equal(expected.Result!.BitsPerChar.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
            cut.FindAll("[data-testid=bits-per-char]")[0].TextContent);
        Assert.Equal(14, cut.FindAll("[data-testid=surprise]")[0].QuerySelectorAll("span[title]").Length); // one per predicted character
    }

    [Fact]
    public async Task The_options_table_can_show_only_what_differs()
    {
        var book = await AddBookAsync("abc abc abc");
        var a = await AddRunAsync(book.Id, CharRnn.Web.Data.RunStatus.Completed);
        var b = await AddRunAsync(book.Id, CharRnn.Web.Data.RunStatus.Completed);
        await using (var context = await Db.CreateDbContextAsync())
        {
            context.Runs.Find(b.Id)!.OptionsJson = RunOptionsJson.Write(new Training.TrainingOptions { LearningRate = 0.003, Hidden = 256 });
            await context.SaveChangesAsync();
        }
        var x = await AddCheckpointAsync("abc ", a.Id, valLoss: 1.5);
        var y = await AddCheckpointAsync("abc ", b.Id, valLoss: 1.4);
        var cut = RenderAt<Compare>($"/compare?checkpoints={x.Id},{y.Id}&prime=a&length=10&seed=1");
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(12, cut.FindAll("[data-testid=options-table] tbody tr").Count);
            Assert.All(cut.FindAll("[data-testid=compare-column] [data-testid=sample-text]"), t => Assert.Equal("done", t.GetAttribute("data-state")));
        }, TimeSpan.FromSeconds(20));

        cut.Find("input[data-testid=differences-only]").Change(true);

        cut.WaitForAssertion(() => Assert.Equal(["hidden", "learning rate"],
            cut.FindAll("[data-testid=options-table] tbody tr").Select(r => r.QuerySelector("td")!.TextContent)));
    }

    [Fact]
    public void The_differences_table_compares_cells_as_written()
    {
        var table = OptionDifferences.Table([new Training.TrainingOptions(), null, new Training.TrainingOptions { Epochs = 2 }], differencesOnly: false);
        Assert.Equal(12, table.Count);
        var epochs = table.Single(r => r.Option == "epochs");
        Assert.Equal(["20", "—", "2"], epochs.Cells);
        Assert.True(epochs.Differs);
    }
}

/// <summary>A comparison's columns count against the server's limit of samplings at once.</summary>
public class CompareSamplingLimitTests : PageTestContext
{
    protected override void AddServices(IServiceCollection services) =>
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new StudioOptions
        {
            DataDirectory = DataDirectory, MaxBookBytes = 100_000, Limits = new StudioLimits { MaxConcurrentSamplings = 1 },
        }));

    [Fact]
    public async Task A_column_beyond_the_servers_limit_waits_then_says_which_setting_raises_it()
    {
        // 2×512 and 50,000 characters each: the first column holds the only place for longer than the gate waits.
        var first = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 1, hidden: 512);
        var second = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 2, hidden: 512);

        var cut = RenderAt<Compare>($"/compare?checkpoints={first.Id},{second.Id}&prime=abc&length=50000&seed=5");

        cut.WaitForAssertion(() => Assert.Contains("CharRnn:Limits:MaxConcurrentSamplings", cut.Markup), TimeSpan.FromSeconds(30));
        Assert.Single(cut.FindAll("[data-testid=compare-column]"), c => c.TextContent.Contains("MaxConcurrentSamplings"));
    }
}
