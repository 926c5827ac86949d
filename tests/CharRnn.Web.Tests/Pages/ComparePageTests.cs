using Bunit;
using CharRnn.Web.Components.Pages;
using CharRnn.Web.Components.Shared;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Settings;
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
        await cut.InvokeAsync(() => cut.Find("[data-testid=score]").Click()); // the columns may still be redrawing

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=surprise]").Count), TimeSpan.FromSeconds(20));
        var expected = await Services.GetRequiredService<CheckpointScoring>().ScoreAsync(first.Id, "abc def abc def");
        Assert.Equal(expected.Value.BitsPerChar.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
            cut.FindAll("[data-testid=bits-per-char]")[0].TextContent);
        Assert.Equal(14, cut.FindAll("[data-testid=surprise]")[0].QuerySelectorAll("span[title]").Length); // one per predicted character
    }

    [Fact]
    public async Task The_options_table_can_show_only_what_differs()
    {
        var book = await AddBookAsync("abc abc abc");
        var a = await AddRunAsync(book.Id, RunStatus.Completed);
        var b = await AddRunAsync(book.Id, RunStatus.Completed, options: new TrainingOptions { LearningRate = 0.003, Hidden = 256 });
        var x = await AddCheckpointAsync("abc ", a.Id, valLoss: 1.5);
        var y = await AddCheckpointAsync("abc ", b.Id, valLoss: 1.4);
        var cut = RenderAt<Compare>($"/compare?checkpoints={x.Id},{y.Id}&prime=a&length=10&seed=1");
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(TrainingOption.All.Select(o => o.Name), cut.FindAll("[data-testid=options-table] tbody tr").Select(r => r.GetAttribute("data-option")));
            Assert.All(cut.FindAll("[data-testid=compare-column] [data-testid=sample-text]"), t => Assert.Equal("done", t.GetAttribute("data-state")));
        }, TimeSpan.FromSeconds(20));

        cut.Find("input[data-testid=differences-only]").Change(true);

        cut.WaitForAssertion(() => Assert.Equal(["Hidden units", "Learning rate"],
            cut.FindAll("[data-testid=options-table] tbody tr").Select(r => r.QuerySelector("td")!.TextContent)));
    }

    [Fact]
    public async Task A_notebook_run_and_a_best_in_an_hour_run_differ_in_their_schedule_evaluation_and_precision_too()
    {
        var book = await AddBookAsync("abc abc abc");
        var notebook = await AddRunAsync(book.Id, RunStatus.Completed, options: TrainingPresets.Notebook.Options);
        var fast = await AddRunAsync(book.Id, RunStatus.Completed, options: TrainingPresets.Hour.Options);
        var x = await AddCheckpointAsync("abc ", notebook.Id, valLoss: 1.5);
        var y = await AddCheckpointAsync("abc ", fast.Id, valLoss: 1.4);
        var cut = RenderAt<Compare>($"/compare?checkpoints={x.Id},{y.Id}&prime=a&length=10&seed=1");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=options-table] tbody tr")), TimeSpan.FromSeconds(20));

        cut.Find("input[data-testid=differences-only]").Change(true);

        cut.WaitForAssertion(() => Assert.Equal(["learningRate", "schedule", "warmupSteps", "epochs", "evaluateEvery", "evaluationBatches", "precision"],
            cut.FindAll("[data-testid=options-table] tbody tr").Select(r => r.GetAttribute("data-option"))));
        var schedule = cut.Find("[data-testid=options-table] tr[data-option=schedule]");
        Assert.Equal(["Learning-rate schedule", "constant", "cosine"], schedule.QuerySelectorAll("td").Select(td => td.TextContent));
    }

    [Fact]
    public void The_differences_table_compares_cells_as_written()
    {
        var table = OptionDifferences.Table([new TrainingOptions(), null, new TrainingOptions { Epochs = 2 }], differencesOnly: false);
        Assert.Equal(TrainingOption.All.Count, table.Count);
        var epochs = table.Single(r => r.Option.Name == "epochs");
        Assert.Equal(["20", "—", "2"], epochs.Cells);
        Assert.True(epochs.Differs);
    }
}

/// <summary>The comparison's work without its page: the selection and settings its address holds.</summary>
public class ComparisonTests : PageTestContext
{
    private Comparison Comparison() => new(Services.GetRequiredService<Features.Runs.RunService>(), Services.GetRequiredService<CheckpointFiles>(),
        Services.GetRequiredService<Features.Sampling.SamplingService>(), Services.GetRequiredService<CheckpointScoring>(),
        Services.GetRequiredService<Features.Sampling.PassageService>(), Services.GetRequiredService<Features.Runs.RunHistory>(),
        Services.GetRequiredService<Features.Books.BookService>(), () => Task.CompletedTask);

    [Fact]
    public async Task Its_address_says_top_k_all_and_names_unknown_checkpoints()
    {
        var first = await AddCheckpointAsync("abc ", runId: null, valLoss: null, step: 1);
        var second = await AddCheckpointAsync("abc ", runId: null, valLoss: null, step: 2);
        var comparison = Comparison();

        await comparison.LoadAsync($"{second.Id},{first.Id},999", "ab", 40, "0.7", "all", 3);

        Assert.Equal([second.Id, first.Id], comparison.Chosen);
        Assert.Equal("There is no checkpoint 999.", comparison.Problem);
        Assert.False(comparison.StartsAtOnce);
        Assert.Null(comparison.TopK);
        Assert.Equal($"/compare?checkpoints={second.Id},{first.Id}&prime=ab&length=40&temperature=0.7&topK=all&seed=3", comparison.Address);

        var defaults = Comparison();
        await defaults.LoadAsync($"{first.Id},{second.Id}", null, null, null, null, null);
        Assert.Equal(5, defaults.TopK); // a missing top-k is the page's default, not "all"
        Assert.True(defaults.StartsAtOnce);
    }
}

/// <summary>A comparison's columns count against the server's limit of samplings at once.</summary>
public class CompareSamplingLimitTests : PageTestContext
{
    protected override void AddServices(IServiceCollection services) =>
        services.Configure<StudioOptions>(o => o.Limits = new StudioLimits { MaxConcurrentSamplings = 1 });

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
