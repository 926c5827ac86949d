using System.Net;
using CharRnn.Training.Loop;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>What a failure leaves behind can always be cleared: a run stuck as running, half-written files.</summary>
public class FailurePathTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-failure-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_run_marked_running_that_nothing_trains_can_be_resumed_or_deleted()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        // As a failure whose recording failed too leaves it: marked running, trained by no one.
        int Stuck()
        {
            using var scope = server.Services.CreateScope();
            using var context = scope.ServiceProvider.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
            var run = new Run
            {
                BookId = book.Id, Name = "stuck", Status = RunStatus.Running, TotalSteps = 50, Device = "CPU", CreatedAt = DateTime.UtcNow,
                OptionsJson = TrainingJson.Write(StudioClient.Tiny(epochs: 1)),
            };
            context.Runs.Add(run);
            context.SaveChanges();
            return run.Id;
        }

        var deleted = Stuck();
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/runs/{deleted}")).StatusCode);

        var resumed = Stuck();
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostAsync($"/api/runs/{resumed}/resume", null)).StatusCode);
        var done = await server.WaitForStatusAsync(resumed, RunStatus.Completed);
        Assert.Equal(50, done.Step);
    }

    [Fact]
    public async Task Half_written_files_a_crash_left_are_swept_at_start_and_whole_ones_kept()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_data, "checkpoints", "7")).FullName;
        var half = Path.Combine(folder, ".step-0000010.safetensors.0123abcd.tmp");
        var optimizer = Path.Combine(folder, "step-0000010.optim.tmp");
        var whole = Path.Combine(folder, "step-0000010.safetensors");
        foreach (var file in new[] { half, optimizer, whole }) await File.WriteAllTextAsync(file, "bytes");

        using var server = new StudioServer(_data);
        for (var i = 0; i < 100 && File.Exists(half); i++) await Task.Delay(50);

        Assert.False(File.Exists(half));
        Assert.False(File.Exists(optimizer));
        Assert.True(File.Exists(whole));
    }
}
