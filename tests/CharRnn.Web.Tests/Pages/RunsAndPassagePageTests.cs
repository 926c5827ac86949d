using Bunit;
using CharRnn.Web.Components.Pages;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Sampling;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Pages;

public class RunsAndPassagePageTests : PageTestContext
{
    [Fact]
    public async Task The_runs_page_lists_each_run_with_its_book_status_and_progress_and_follows_status_changes()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Running, step: 120, totalSteps: 2780);
        var cut = Render<Runs>();

        var row = cut.Find("tbody tr");
        Assert.Contains("test run", row.TextContent);
        Assert.Contains("verse", row.TextContent);
        Assert.Contains("120 / 2,780", row.TextContent);
        Assert.Equal("running", row.QuerySelector("[data-status]")!.GetAttribute("data-status"));

        await using (var context = await Db.CreateDbContextAsync())
        {
            (await context.Runs.FindAsync(run.Id))!.Status = RunStatus.Completed;
            await context.SaveChangesAsync();
        }
        Services.GetRequiredService<TrainingBroadcaster>().Publish(new StatusChangedEvent(run.Id, RunStatus.Completed, null));
        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("tbody tr [data-status]").GetAttribute("data-status")));
    }

    [Fact]
    public async Task The_owner_deletes_a_finished_run_after_confirming_and_a_running_one_offers_no_delete()
    {
        var book = await AddBookAsync("abc abc abc");
        var running = await AddRunAsync(book.Id, RunStatus.Running);
        var done = await AddRunAsync(book.Id, RunStatus.Completed);
        var checkpoint = await AddCheckpointAsync("abc ", done.Id, valLoss: 1.2);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<Runs>();
        Assert.Empty(cut.FindAll($"[data-delete='{running.Id}']"));

        cut.Find($"[data-delete='{done.Id}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete this run?", dialogs.Markup));
        dialogs.FindAll("button").First(b => b.TextContent.Contains("Delete")).Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));
        await using var context = await Db.CreateDbContextAsync();
        Assert.Null(await context.Runs.FindAsync(done.Id));
        Assert.Null(await context.Checkpoints.FindAsync(checkpoint.Id));
    }

    [Fact]
    public async Task A_shared_passage_shows_its_text_and_how_it_was_drawn()
    {
        var checkpoint = await AddCheckpointAsync("abc ", null, null);
        var passage = (await Services.GetRequiredService<PassageService>().CreateAsync(new PassageRequest(checkpoint.Id, "ab", 5, 0.7, 3, 99, "abcab ca"))).Value;

        var cut = Render<PassagePage>(p => p.Add(x => x.Slug, passage.Slug));

        Assert.Equal("abcab ca", cut.Find("[data-passage]").TextContent);
        Assert.Contains("temperature 0.7 · top-k 3 · seed 99", cut.Markup);
        Assert.Contains("There is no such passage.", Render<PassagePage>(p => p.Add(x => x.Slug, "nope")).Markup);
    }
}
