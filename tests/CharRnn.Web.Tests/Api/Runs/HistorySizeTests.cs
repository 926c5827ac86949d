using System.Text.Json;
using CharRnn.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>A run with a long history: watchers get it thinned for drawing, every point stays downloadable a page at a time.</summary>
public class HistorySizeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-history-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_watcher_of_a_100000_step_run_gets_a_thinned_snapshot_and_the_api_pages_every_point()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));
        var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        var factory = server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        await using (var context = await factory.CreateDbContextAsync())
        {
            await context.Metrics.Where(m => m.RunId == run.Id).ExecuteDeleteAsync();
            context.Metrics.AddRange(Enumerable.Range(1, 100_000).Select(i => new MetricPoint
            {
                RunId = run.Id, Step = i, Epoch = 1, TrainLoss = 3 - i / 50_000.0, ValLoss = i % 10 == 0 ? 3 - i / 40_000.0 : null,
                CharsPerSecond = 5000, At = DateTime.UtcNow,
            }));
            await context.SaveChangesAsync();
        }

        await using var hub = server.Hub("/hubs/training");
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<RunSnapshot>("Watch", run.Id);

        Assert.Equal(100_000, snapshot.TotalMetrics);
        Assert.InRange(snapshot.Metrics.Count, 1000, Features.Runs.RunHistory.MaxSnapshotPoints + 2);
        Assert.Equal(100_000, snapshot.Metrics[^1].Step);
        Assert.InRange(snapshot.Metrics.Count(m => m.ValLoss is not null), 500, 1001);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, Json.Options).Length;
        Assert.True(bytes < 500_000, $"the snapshot is {bytes:N0} bytes");

        var page = await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics?after=99000&take=500");
        Assert.Equal(Enumerable.Range(99_001, 500).Select(i => (long)i), page.Select(m => m.Step));
        Assert.Equal(100_000, (await server.GetAsync<List<MetricDto>>($"/api/runs/{run.Id}/metrics")).Count);
    }

    [Fact]
    public async Task Watching_a_run_that_does_not_exist_is_refused_and_joins_nothing()
    {
        using var server = new StudioServer(_data);
        await using var hub = server.Hub("/hubs/training");
        await hub.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RunSnapshot>("Watch", 4242));

        Assert.Contains("There is no run 4242", error.Message);
    }
}
