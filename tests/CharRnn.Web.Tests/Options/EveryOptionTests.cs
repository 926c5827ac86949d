using System.Net.Http.Json;
using Bunit;
using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Options;

/// <summary>
/// Every training option (each settable property of <see cref="TrainingOptions"/>) appears on every surface that shows
/// or takes options: the New run form, the run page's options, Compare's table and the API request. The CLI's flags
/// and the API's description are checked beside their own tests (CliTests, OpenApiTests).
/// </summary>
public class EveryOptionTests : Pages.PageTestContext
{
    private static IEnumerable<string> Names => typeof(TrainingOptions).GetProperties().Where(p => p.SetMethod is not null)
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    [Fact]
    public async Task The_new_run_form_has_a_field_for_every_option()
    {
        await AddBookAsync(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog.\n", 5000)));
        var cut = Render<NewRun>();
        cut.Find("[data-preset=fast]").Click(); // a decaying schedule: the warm-up and the final rate are shown too

        Assert.All(Names, name => Assert.NotEmpty(cut.FindAll($"[data-field={name}]")));
    }

    [Fact]
    public async Task The_run_page_and_compare_show_every_option()
    {
        var book = await AddBookAsync("abc abc abc");
        var run = await AddRunAsync(book.Id, RunStatus.Completed, options: TrainingPresets.Fast.Options);
        var first = await AddCheckpointAsync("abc ", run.Id, valLoss: 1.5, step: 10);
        var second = await AddCheckpointAsync("abc ", run.Id, valLoss: 1.4, step: 20);

        var page = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        page.WaitForAssertion(() => Assert.Equal(Names, page.FindAll("[data-testid=run-options] tr[data-option]").Select(r => r.GetAttribute("data-option"))));
        var compare = RenderAt<Compare>($"/compare?checkpoints={first.Id},{second.Id}&prime=a&length=5&seed=1");
        compare.WaitForAssertion(() => Assert.Equal(Names, compare.FindAll("[data-testid=options-table] tr[data-option]").Select(r => r.GetAttribute("data-option"))),
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_api_takes_every_option_by_name()
    {
        var server = new StudioServer(DataDirectory + "-api");
        try
        {
            var book = await server.UploadBookAsync(StudioClient.Repeated(50));
            // A value for each option that is neither the notebook's nor the fast preset's.
            var asked = new TrainingOptions
            {
                Hidden = 24, Layers = 1, Dropout = 0.25, LearningRate = 0.004, Schedule = ScheduleKind.Linear, WarmupSteps = 3, MinLearningRate = 0.0003,
                BatchSize = 4, SequenceLength = 12, Epochs = 3, GradientClip = 2, ValidationFraction = 0.15, EvaluateEvery = 7, EvaluationBatches = 2,
                Seed = 77, Threads = 1, MaxSteps = 5, Device = DeviceChoice.Cpu,
            };
            var request = CreateRunRequest.For(book.Id, asked, "every option", preset: "fast");
            Assert.Equal(Names.Order(), request.Options!.Keys.Order());

            var run = await server.CreateRunAsync(request);

            Assert.Equal(asked, run.Options);
            Assert.Equal(asked, (await server.GetAsync<RunDto>($"/api/runs/{run.Id}")).Options);
            var unknown = await server.Http.PostAsJsonAsync("/api/runs", new { bookId = book.Id, hiden = 16 }, Json.Options);
            Assert.Contains("There is no option 'hiden'; the options are hidden, layers", await unknown.ProblemDetailAsync());
            var wrong = await server.Http.PostAsJsonAsync("/api/runs", new { bookId = book.Id, device = "tpu", epochs = "many" }, Json.Options);
            Assert.Equal("Device must be one of auto, cpu, cuda; it was 'tpu'. Epochs must be a whole number; it was 'many'.", await wrong.ProblemDetailAsync());
        }
        finally
        {
            server.Dispose();
            Directory.Delete(DataDirectory + "-api", recursive: true);
        }
    }
}
