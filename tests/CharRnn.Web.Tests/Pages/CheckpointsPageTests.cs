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

    [Fact]
    public async Task A_fine_tunes_checkpoints_say_what_it_was_fine_tuned_from_with_links()
    {
        var book = await AddBookAsync("abc abc abc");
        var source = await AddRunAsync(book.Id, RunStatus.Completed);
        var start = await AddCheckpointAsync("abc ", source.Id, valLoss: 2.5);
        var fineTune = await AddRunAsync(book.Id, RunStatus.Completed);
        await using (var context = await Db.CreateDbContextAsync())
        {
            var stored = await context.Runs.FindAsync(fineTune.Id);
            (stored!.FineTunedFromCheckpointId, stored.FineTunedFromRunId, stored.FineTunedFromBookId, stored.CharactersAdded) = (start.Id, source.Id, book.Id, 0);
            await context.SaveChangesAsync();
        }
        await AddCheckpointAsync("abc ", fineTune.Id, valLoss: 1.5);

        var cut = Render<Checkpoints>();

        var lineage = Assert.Single(cut.FindAll("[data-testid=checkpoint-fine-tuned-from]"));
        Assert.Equal($"fine-tuned from checkpoint {start.Id} of run {source.Id}", string.Join(" ", lineage.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal([$"/generate?checkpoint={start.Id}", $"/runs/{source.Id}"], lineage.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }
}
