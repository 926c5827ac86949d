using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>A run's learning-rate schedule through the API: stored with its options, and checked.</summary>
public class ScheduleApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-schedule-api-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_run_created_with_a_cosine_schedule_keeps_it_and_a_floor_above_the_peak_is_refused()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var cosine = StudioClient.Tiny(epochs: 1) with { Schedule = ScheduleKind.Cosine, WarmupSteps = 5, MinLearningRate = 0.001 };
        var request = StudioClient.TinyRun(book.Id, cosine);

        var run = await server.CreateRunAsync(request);
        var done = await server.WaitForStatusAsync(run.Id, RunStatus.Completed);

        Assert.Equal(ScheduleKind.Cosine, done.Options.Schedule);
        Assert.Equal(5, done.Options.WarmupSteps);
        Assert.Equal(0.001, done.Options.MinLearningRate);
        var json = await server.Http.GetStringAsync($"/api/runs/{run.Id}");
        Assert.Contains("\"schedule\":\"cosine\"", json); // the API writes enums in camelCase

        var refused = await server.Http.PostAsJsonAsync("/api/runs", StudioClient.TinyRun(book.Id, cosine with { MinLearningRate = 0.5 }), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The final learning rate must be between 0 and the peak", await refused.ProblemDetailAsync());
    }
}
