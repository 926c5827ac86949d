using Bunit;
using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Pages;

/// <summary>The sample grid's page: what it refuses before drawing, and a grid by top-p from its address.</summary>
public class GridPageTests : PageTestContext
{
    [Theory]
    [InlineData(5, "0.5,0.8", "Choose one to 4 checkpoints (rows); there are 5.")]
    [InlineData(2, "0.2,0.4,0.6,0.8,1", "Give one to 4 temperatures (columns), separated by commas; there are 5.")]
    [InlineData(2, "", "Give one to 4 temperatures (columns), separated by commas; there are 0.")]
    public async Task A_grid_over_four_rows_or_four_columns_is_refused_before_anything_is_drawn(int rows, string temperatures, string reason)
    {
        var ids = new List<int>();
        for (var i = 0; i < rows; i++) ids.Add((await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: i + 1)).Id);

        var cut = RenderAt<Grid>($"/grid?checkpoints={string.Join(",", ids)}&prime=abc&length=40&seed=2&temperatures={temperatures}");

        cut.WaitForAssertion(() => Assert.Contains(reason, cut.Markup), TimeSpan.FromSeconds(10));
        Assert.True(cut.Find("[data-testid=draw-grid]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=grid-cell]"));
    }

    [Fact]
    public async Task A_grid_by_top_p_from_its_address_draws_each_cell_with_its_stop()
    {
        var first = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 1);
        var second = await AddCheckpointAsync("abcdefgh ", runId: null, valLoss: null, step: 2);

        var cut = RenderAt<Grid>($"/grid?checkpoints={first.Id},{second.Id}&prime=abc&length=200&seed=2&topPs=0.3,1&stop=a");

        cut.WaitForAssertion(() =>
        {
            var cells = cut.FindAll("[data-testid=grid-cell]");
            Assert.Equal(4, cells.Count);
            Assert.All(cells, c => Assert.Equal("done", c.QuerySelector("[data-testid=sample-text]")!.GetAttribute("data-state")));
            Assert.False(cut.Find("[data-testid=draw-grid]").HasAttribute("disabled"), "drawn: the grid can be drawn again");
        }, TimeSpan.FromSeconds(20));
        Assert.Contains("top-p 0.3", cut.Markup);
        // Every passage ends at its first drawn "a" (or at its length), the prime's own "a" not counted.
        Assert.All(cut.FindAll("[data-testid=grid-cell] [data-testid=sample-text]"), t =>
        {
            var drawn = t.TextContent["abc".Length..];
            Assert.True(drawn.IndexOf('a') is var at && (at == drawn.Length - 1 || (at == -1 && drawn.Length == 200)), drawn);
        });
    }
}
