using Bunit;
using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Pages;

public class GeneratePageTests : PageTestContext
{
    [Fact]
    public async Task Generated_text_streams_into_the_page_starting_with_the_prime()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null);
        var cut = RenderAt<Generate>($"/generate?checkpoint={checkpoint.Id}");
        Input(cut, "data-field=prime").Change("abc ");

        cut.Find("[data-generate]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-stop]"));
            var text = cut.Find("[data-output]").TextContent;
            Assert.StartsWith("abc ", text);
            Assert.Equal(4 + 1000, text.Length);
        }, TimeSpan.FromSeconds(20));
        Assert.Matches(@"seed \d+ · [\d,]+ chars/s", cut.Find("[data-rate]").TextContent);
    }

    [Fact]
    public async Task The_stop_button_ends_a_long_stream_early()
    {
        // 512 units: 100,000 characters take many seconds, so the stream is still running when Stop is pressed.
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, hidden: 512);
        var cut = RenderAt<Generate>($"/generate?checkpoint={checkpoint.Id}");
        Input(cut, "data-field=prime").Change("abc ");
        cut.FindComponents<MudBlazor.MudNumericField<int>>()[0].Find("input").Change("100000");

        cut.Find("[data-generate]").Click();
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-output]").TextContent.Length > 10), TimeSpan.FromSeconds(10));
        cut.Find("[data-stop]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-generate]")), TimeSpan.FromSeconds(10));
        Assert.True(cut.Find("[data-output]").TextContent.Length < 100_000);
    }

    [Fact]
    public async Task A_prime_with_unknown_characters_is_refused_naming_them()
    {
        var checkpoint = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null);
        var cut = RenderAt<Generate>($"/generate?checkpoint={checkpoint.Id}");
        Input(cut, "data-field=prime").Change("xyz");

        cut.Find("[data-generate]").Click();

        cut.WaitForAssertion(() => Assert.Contains("'x', 'y', 'z'", cut.Find("[data-error]").TextContent));
        Assert.Equal("", cut.Find("[data-output]").TextContent);
    }

    [Fact]
    public async Task The_best_checkpoint_of_a_run_is_chosen_by_default()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, CharRnn.Web.Data.RunStatus.Completed);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 2.0, step: 10);
        var best = await AddCheckpointAsync("abc ", run.Id, valLoss: 1.2, step: 20);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 1.5, step: 30);

        var cut = RenderAt<Generate>($"/generate?run={run.Id}");

        Assert.Equal(best.Id.ToString(), cut.Find("[data-output]").GetAttribute("data-checkpoint"));
    }
}
