using Bunit;
using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Pages;

public class CheckpointsPageTests : PageTestContext
{
    [Fact]
    public async Task Checkpoints_are_listed_by_validation_loss_with_both_download_formats()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 2.5, step: 10);
        var best = await AddCheckpointAsync("abc ", run.Id, valLoss: 1.25, step: 20);
        await AddCheckpointAsync("abc ", run.Id, valLoss: 1.75, step: 30);

        var cut = Render<Checkpoints>();

        Assert.Equal(["1.2500", "1.7500", "2.5000"], cut.FindAll("[data-val-loss]").Select(c => c.TextContent.Trim()));
        Assert.NotNull(cut.Find($"a[href='/api/checkpoints/{best.Id}/file?format=pytorch']"));
        Assert.NotNull(cut.Find($"a[href='/api/checkpoints/{best.Id}/file?format=safetensors']"));
        Assert.Equal($"/runs/new?initFrom={best.Id}", cut.FindAll("[data-testid=fine-tune-link]")[0].GetAttribute("href")); // "Fine-tune on another book"
    }
}
