using Bunit;
using CharRnn.Web.Components.Pages;
using CharRnn.Web.Components.Shared;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Events;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Pages;

public class RunPageTests : PageTestContext
{
    private TrainingBroadcaster Broadcaster => Services.GetRequiredService<TrainingBroadcaster>();

    private async Task AddMetricsAsync(int runId, int count)
    {
        await using var context = await Db.CreateDbContextAsync();
        context.Metrics.AddRange(Enumerable.Range(1, count).Select(i => new MetricPoint
        {
            RunId = runId, Step = i, Epoch = 1, TrainLoss = 4.0 / Math.Sqrt(i), ValLoss = i % 10 == 0 ? 4.2 / Math.Sqrt(i) : null, CharsPerSecond = 5000, At = DateTime.UtcNow,
        }));
        await context.SaveChangesAsync();
    }

    /// <summary><paramref name="count"/> steps <paramref name="secondsPerStep"/> apart, evaluated every 10th.</summary>
    private async Task AddTimedMetricsAsync(int runId, int count, double secondsPerStep)
    {
        var start = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        await using var context = await Db.CreateDbContextAsync();
        context.Metrics.AddRange(Enumerable.Range(1, count).Select(i => new MetricPoint
        {
            RunId = runId, Step = i, Epoch = 1, TrainLoss = 3.0 / Math.Sqrt(i), ValLoss = i % 10 == 0 ? 3.1 / Math.Sqrt(i) : null, CharsPerSecond = 5000,
            At = start.AddSeconds(i * secondsPerStep),
        }));
        await context.SaveChangesAsync();
    }

    [Fact]
    public async Task The_chart_draws_against_training_time_and_lays_another_runs_curves_over_it()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed, step: 60, totalSteps: 60);
        await AddTimedMetricsAsync(run.Id, 60, secondsPerStep: 3); // 59 gaps of 3 s: 2.95 minutes
        var other = await AddRunAsync(book.Id, RunStatus.Completed, step: 40, totalSteps: 40);
        await AddTimedMetricsAsync(other.Id, 40, secondsPerStep: 6);
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var chart = () => cut.Find("div.loss-chart");
        Assert.Equal(("step", "60"), (chart().GetAttribute("data-against"), chart().GetAttribute("data-last-x")));

        Input(cut, "data-against-time").Change(true);
        Assert.Equal(("time", "2.95"), (chart().GetAttribute("data-against"), chart().GetAttribute("data-last-x")));

        var select = cut.FindComponent<MudBlazor.MudSelect<int?>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(other.Id));
        cut.WaitForAssertion(() => Assert.Equal("4", chart().GetAttribute("data-overlay-val-points")));
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(null));
        cut.WaitForAssertion(() => Assert.Equal("0", chart().GetAttribute("data-overlay-val-points")));
    }

    private static RunDto RunAt(RunDto run, long step) => run with { Step = step, TrainLoss = 1.5, CharsPerSecond = 4800, EtaSeconds = 90 };

    [Fact]
    public async Task The_chart_starts_with_the_history_and_receives_live_points()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, step: 30);
        await AddMetricsAsync(run.Id, 30);
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var chart = () => cut.Find("div.loss-chart");

        Assert.Equal("30", chart().GetAttribute("data-train-points"));
        Assert.Equal("3", chart().GetAttribute("data-val-points"));

        var dto = run.ToDto();
        for (var step = 31; step <= 35; step++)
            Broadcaster.Publish(new ProgressEvent(run.Id, new MetricDto(step, 1, 1.5, null, 4800, DateTime.UtcNow), RunAt(dto, step)));
        Broadcaster.Publish(new EvaluatedEvent(run.Id, new EvaluationDto(35, 1.7, "the sample at step 35")));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("35", chart().GetAttribute("data-train-points"));
            Assert.Equal("4", chart().GetAttribute("data-val-points"));
            Assert.Equal("35", cut.Find("[data-step]").TextContent);
            Assert.Contains("the sample at step 35", cut.Find("[data-sample]").TextContent);
            Assert.Contains("4,800 chars/s", cut.Find("[data-progress]").TextContent);
        });
    }

    [Fact]
    public async Task A_run_also_evaluated_on_another_book_draws_its_curve_named_by_the_book_history_and_live()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, step: 30);
        await AddMetricsAsync(run.Id, 30);
        await using (var context = await Db.CreateDbContextAsync())
        {
            var stored = await context.Runs.FindAsync(run.Id);
            stored!.AlsoEvaluatedOn = [new EvaluationBook(77, "Anna Karenina", 12)];
            foreach (var point in context.Metrics.Where(m => m.RunId == run.Id && m.ValLoss != null)) point.OtherBooks = [new BookValLoss(77, 1.4)];
            await context.SaveChangesAsync();
        }
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var chart = () => cut.Find("div.loss-chart");

        Assert.Equal("3", chart().GetAttribute("data-other-book-points"));
        Assert.Equal("Dotted: the validation loss of 'Anna Karenina' (12 characters the model lacks, read past), read at every evaluation.",
            cut.Find("[data-testid=also-evaluated-on]").TextContent.Trim());

        var dto = run.ToDto() with { AlsoEvaluatedOn = [new EvaluationBook(77, "Anna Karenina", 12)] };
        Broadcaster.Publish(new ProgressEvent(run.Id, new MetricDto(31, 1, 1.5, null, 4800, DateTime.UtcNow), RunAt(dto, 31)));
        Broadcaster.Publish(new EvaluatedEvent(run.Id, new EvaluationDto(31, 1.7, "a sample", OtherBooks: [new BookValLoss(77, 1.45)])));

        cut.WaitForAssertion(() => Assert.Equal("4", chart().GetAttribute("data-other-book-points")));
    }

    [Fact]
    public async Task A_run_waiting_for_its_slurm_job_shows_the_job_its_state_and_slurms_reason()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Queued);
        await using (var context = await Db.CreateDbContextAsync())
        {
            var stored = await context.Runs.FindAsync(run.Id);
            (stored!.JobId, stored.JobState, stored.JobReason) = ("4242", "PENDING", "Resources");
            await context.SaveChangesAsync();
        }

        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        Assert.Equal("Slurm job 4242: PENDING (waiting: Resources)", cut.Find("[data-testid=slurm-job]").TextContent.Trim());
        var plain = await AddRunAsync(book.Id);
        Assert.Empty(Render<RunPage>(p => p.Add(x => x.Id, plain.Id)).FindAll("[data-testid=slurm-job]"));
    }

    [Fact]
    public async Task The_run_shows_its_precision_and_why_when_auto_chose_it()
    {
        var book = await AddBookAsync("abc abc abc");
        var auto = await AddRunAsync(book.Id, options: new TrainingOptions { Precision = PrecisionChoice.Auto });
        var asked = await AddRunAsync(book.Id, options: new TrainingOptions { Precision = PrecisionChoice.Bfloat16 });
        await using (var context = await Db.CreateDbContextAsync())
        {
            (await context.Runs.FindAsync(asked.Id))!.Precision = "bfloat16";
            await context.SaveChangesAsync();
        }

        Assert.Equal("float32 (auto: the processor that trains it has no native bfloat16, where bfloat16 would be slower)",
            Render<RunPage>(p => p.Add(x => x.Id, auto.Id)).Find("[data-precision]").TextContent.Trim());
        Assert.Equal("bfloat16", Render<RunPage>(p => p.Add(x => x.Id, asked.Id)).Find("[data-precision]").TextContent.Trim());
    }

    [Fact]
    public async Task A_point_that_arrives_twice_is_drawn_once_and_other_runs_are_ignored()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, step: 10);
        await AddMetricsAsync(run.Id, 10);
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        var dto = run.ToDto();
        Broadcaster.Publish(new ProgressEvent(run.Id, new MetricDto(10, 1, 1.5, null, 4800, DateTime.UtcNow), RunAt(dto, 10)));
        Broadcaster.Publish(new ProgressEvent(run.Id + 1, new MetricDto(11, 1, 1.5, null, 4800, DateTime.UtcNow), RunAt(dto, 11)));
        Broadcaster.Publish(new StatusChangedEvent(run.Id, RunStatus.Completed, null));

        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("[data-status]").GetAttribute("data-status")));
        Assert.Equal("10", cut.Find("div.loss-chart").GetAttribute("data-train-points"));
    }

    [Fact]
    public async Task Ten_thousand_points_are_thinned_for_drawing()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed, step: 10_000, totalSteps: 10_000);
        await AddMetricsAsync(run.Id, 10_000);
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        var chart = cut.Find("div.loss-chart");
        Assert.Equal(LossChart.MaxPoints.ToString(), chart.GetAttribute("data-train-points"));
        Assert.Equal(LossChart.MaxPoints.ToString(), chart.GetAttribute("data-val-points"));
        var traces = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Data.Cast<Plotly.Blazor.Traces.Scatter>().ToList();
        Assert.All(traces, t => Assert.InRange(t.X.Count, 1, LossChart.MaxPoints));
        Assert.InRange(traces.Max(t => t.X.Cast<double>().Max()), 9_950, 10_000); // the drawn points reach the end of the run
    }

    [Fact]
    public async Task The_log_scale_switch_redraws_the_chart()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed, step: 100, totalSteps: 100);
        await AddMetricsAsync(run.Id, 100);
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        var chart = cut.FindComponent<Plotly.Blazor.PlotlyChart>();
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear, chart.Instance.Layout.YAxis[0].Type);

        Input(cut, "data-log-scale").Change(true);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("div.loss-chart").GetAttribute("data-log-scale"));
            Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log, cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Layout.YAxis[0].Type);
        });
    }

    [Fact]
    public async Task Cancel_and_resume_buttons_follow_the_status()
    {
        var book = await AddBookAsync("abc abc abc");
        var running = await AddRunAsync(book.Id, RunStatus.Running);
        var interrupted = await AddRunAsync(book.Id, RunStatus.Interrupted);

        var a = Render<RunPage>(p => p.Add(x => x.Id, running.Id));
        Assert.NotEmpty(a.FindAll("[data-cancel]"));
        Assert.Empty(a.FindAll("[data-resume]"));

        var b = Render<RunPage>(p => p.Add(x => x.Id, interrupted.Id));
        Assert.Empty(b.FindAll("[data-cancel]"));
        b.Find("[data-resume]").Click();
        b.WaitForAssertion(() => Assert.Equal("queued", b.Find("[data-status]").GetAttribute("data-status")));
    }

    [Fact]
    public async Task A_fine_tune_says_what_it_started_from_and_a_run_offers_its_best_checkpoint_to_fine_tune()
    {
        var book = await AddBookAsync("abc abc abc");
        var source = await AddRunAsync(book.Id, RunStatus.Completed);
        await AddCheckpointAsync("abc ", source.Id, valLoss: 1.5, step: 10);
        var best = await AddCheckpointAsync("abc ", source.Id, valLoss: 1.25, step: 20);
        var tuned = await AddRunAsync(book.Id, RunStatus.Completed);
        await using (var context = await Db.CreateDbContextAsync())
        {
            var run = (await context.Runs.FindAsync(tuned.Id))!;
            (run.FineTunedFromCheckpointId, run.FineTunedFromRunId, run.FineTunedFromBookId, run.CharactersAdded) = (best.Id, source.Id, book.Id, 2);
            await context.SaveChangesAsync();
        }

        var page = Render<RunPage>(p => p.Add(x => x.Id, tuned.Id));
        var from = Render<RunPage>(p => p.Add(x => x.Id, source.Id));

        page.WaitForAssertion(() => Assert.Equal($"Fine-tuned from checkpoint {best.Id} of run {source.Id} (2 characters added to its alphabet).",
            System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=fine-tuned-from]").TextContent, @"\s+", " ").Trim()));
        Assert.NotNull(page.Find($"[data-testid=fine-tuned-from] a[href='/runs/{source.Id}']"));
        from.WaitForAssertion(() => Assert.Equal($"/runs/new?initFrom={best.Id}", from.Find("[data-testid=fine-tune]").GetAttribute("href")));
        Assert.Empty(from.FindAll("[data-testid=fine-tuned-from]"));
    }
}
