using Bunit;
using CharRnn.Training.Devices;
using CharRnn.Training.Precision;
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
        Assert.Equal("16", Input(cut, "data-field=batchSize").GetAttribute("value"));
        Assert.Equal("20", Input(cut, "data-field=warmupSteps").GetAttribute("value")); // its cosine shows the warm-up
        cut.Find("[data-preset=notebook]").Click();
        Assert.Equal("512", Hidden());
        Assert.Equal("20", Input(cut, "data-field=epochs").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-field=warmupSteps]")); // constant rate: no warm-up to set
        Assert.True(string.IsNullOrEmpty(Input(cut, "data-field=evaluationBatches").GetAttribute("value")));
    }

    [Fact]
    public async Task A_checkpoints_fine_tune_link_opens_the_form_on_it_with_its_shape()
    {
        await AddBookAsync(Verse(5000));
        var checkpoint = await AddCheckpointAsync("abc ", runId: null, valLoss: null, hidden: 24);

        var cut = RenderAt<NewRun>($"/runs/new?initFrom={checkpoint.Id}");

        cut.WaitForAssertion(() => Assert.Equal(checkpoint.Id.ToString(), Input(cut, "data-field=initFrom").GetAttribute("value")));
        Assert.Equal(("24", "1"), (Input(cut, "data-field=hidden").GetAttribute("value"), Input(cut, "data-field=layers").GetAttribute("value")));
        // On the Fine-tune preset's recipe; another preset brings its recipe but not its model.
        cut.WaitForAssertion(() => Assert.Equal(TrainingPresets.FineTune.Options.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Input(cut, "data-field=learningRate").GetAttribute("value")));
        cut.Find("[data-preset=notebook]").Click();
        // MudBlazor's fields take a new value on their next render: wait for it, as a person's eye would.
        cut.WaitForAssertion(() => Assert.Equal(("20", "24", "1"),
            (Input(cut, "data-field=epochs").GetAttribute("value"), Input(cut, "data-field=hidden").GetAttribute("value"), Input(cut, "data-field=layers").GetAttribute("value"))));
    }

    [Fact]
    public async Task The_fine_tune_preset_is_offered_only_with_a_checkpoint_to_start_from()
    {
        await AddBookAsync(Verse(5000));
        var checkpoint = await AddCheckpointAsync("abc ", runId: null, valLoss: null, hidden: 24);

        Assert.Empty(Render<NewRun>().FindAll("[data-preset=finetune]"));
        var fineTune = RenderAt<NewRun>($"/runs/new?initFrom={checkpoint.Id}");
        fineTune.WaitForAssertion(() => Assert.Single(fineTune.FindAll("[data-preset=finetune]")));
    }

    [Fact]
    public async Task A_preset_brings_its_recipe_and_leaves_the_seed_the_person_chose()
    {
        await AddBookAsync(Verse(5000));
        var cut = Render<NewRun>();
        Input(cut, "data-field=seed").Change("42");
        Input(cut, "data-field=epochs").Change("3");

        cut.Find("[data-preset=quick]").Click();

        Assert.Equal("42", Input(cut, "data-field=seed").GetAttribute("value"));
        Assert.Equal(TrainingPresets.Quick.Options.Epochs.ToString(), Input(cut, "data-field=epochs").GetAttribute("value"));
    }

    [Fact]
    public async Task The_fast_preset_keeps_the_notebooks_model_and_brings_its_schedule_and_subset()
    {
        await AddBookAsync(Verse(5000));
        var cut = Render<NewRun>();

        cut.Find("[data-preset=fast]").Click();

        var fast = TrainingPresets.Fast.Options;
        string Value(string field) => Input(cut, $"data-field={field}").GetAttribute("value")!;
        // The notebook's model, so its checkpoints load in the notebook; short sequences in small batches train it.
        Assert.Equal(("512", "2", "32", "50"), (Value("hidden"), Value("layers"), Value("batchSize"), Value("sequenceLength")));
        Assert.Equal(fast.WarmupSteps.ToString(), Value("warmupSteps"));
        Assert.Equal(fast.EvaluationBatches.ToString(), Value("evaluationBatches"));
        Assert.Equal(fast.Epochs.ToString(), Value("epochs"));
        Assert.Contains("cosine", cut.Find("[data-field=schedule]").ParentElement!.ParentElement!.TextContent);
        // It asks for auto, and the page says what auto becomes on this machine's CPU, and why.
        Assert.Equal($"Precision: {TrainingPrecisions.ExplainHere(PrecisionChoice.Auto, TrainingDevice.Cpu)}", cut.Find("[data-precision]").TextContent.Trim());
    }

    [Fact]
    public async Task The_hour_preset_is_offered_with_the_notebooks_model_and_batch_and_its_long_cosine()
    {
        await AddBookAsync(Verse(5000));
        var cut = Render<NewRun>();

        Assert.Contains("Best in an hour", cut.Find("[data-preset=hour]").TextContent);
        cut.Find("[data-preset=hour]").Click();

        string Value(string field) => Input(cut, $"data-field={field}").GetAttribute("value")!;
        Assert.Equal(("512", "128", "100", "24"), (Value("hidden"), Value("batchSize"), Value("sequenceLength"), Value("epochs")));
        Assert.Equal("Precision: " + TrainingPrecisions.ExplainHere(PrecisionChoice.Auto, TrainingDevice.Cpu), cut.Find("[data-precision]").TextContent.Trim());
    }

    [Fact]
    public async Task It_shows_the_steps_an_estimate_the_device_and_the_precision()
    {
        await AddBookAsync(Verse(5000)); // 225,000 characters: 202,500 train, 15 steps an epoch at 128 × 100
        var cut = Render<NewRun>();
        Assert.Equal("300", cut.Find("[data-steps]").GetAttribute("data-steps"));
        cut.WaitForAssertion(() => Assert.Contains("About", cut.Find("[data-estimate]").TextContent), TimeSpan.FromMinutes(1));
        Assert.Contains("CPU", cut.Find("[data-device]").TextContent);
        Assert.Equal("Precision: float32, as asked", cut.Find("[data-precision]").TextContent.Trim());
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

    [Slow(SlowBecause.Training)]
    [Fact]
    public async Task The_estimate_is_timed_for_the_model_each_preset_chooses()
    {
        await AddBookAsync(Verse(5000));
        var cut = Render<NewRun>();
        double MeasuredSeconds()
        {
            var estimate = cut.Find("[data-estimate]");
            Assert.Equal("true", estimate.GetAttribute("data-measured"));
            return double.Parse(estimate.GetAttribute("data-seconds")!, System.Globalization.CultureInfo.InvariantCulture);
        }

        cut.WaitForState(() => cut.FindAll("[data-measured=true]").Count > 0, TimeSpan.FromMinutes(1));
        var notebook = MeasuredSeconds();
        Assert.Contains("timed from a few steps of this model on this server", cut.Markup);
        cut.Find("[data-preset=quick]").Click();
        cut.WaitForAssertion(() => Assert.NotEqual(notebook, MeasuredSeconds()), TimeSpan.FromMinutes(1));

        // The Quick CPU model (2×256) does a fraction of the notebook's work a character, and runs 4 epochs instead of 20.
        Assert.True(MeasuredSeconds() < notebook / 5, $"Quick CPU {MeasuredSeconds()} s, Notebook {notebook} s");
    }

    [Fact]
    public async Task Without_a_book_it_points_to_the_books_page()
    {
        var cut = Render<NewRun>();
        Assert.Contains("Upload a book first", cut.Markup);
        await Task.CompletedTask;
    }
}
