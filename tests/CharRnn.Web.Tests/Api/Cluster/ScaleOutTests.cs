using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace CharRnn.Web.Tests.Api.Cluster;

/// <summary>
/// Two web instances on one PostgreSQL store, one data folder and one Redis, as behind a load balancer. Needs both
/// servers: <c>.ci/run</c> starts them and sets <c>CHARRNN_TEST_POSTGRES</c> and <c>CHARRNN_TEST_REDIS</c>; elsewhere the tests are skipped, and say so.
/// </summary>
[Slow(SlowBecause.Service)]
public class ScaleOutTests : SharedServicesTest
{
    private readonly string _otherData = Directory.CreateTempSubdirectory("charrnn-scale2-").FullName;

    private void SkipWithoutServices() => Skip.If(ServicesMissing, "Set CHARRNN_TEST_POSTGRES and CHARRNN_TEST_REDIS to run the scale-out tests.");

    private StudioServer Instance(string name, string data, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string> { ["CharRnn:InstanceName"] = name, ["ConnectionStrings:Redis"] = Redis! };
        foreach (var (key, value) in more) settings[key] = value;
        return new StudioServer(data, Store, settings);
    }

    private async Task<string?> TrainedByAsync(int runId)
    {
        await using var connection = new NpgsqlConnection(Store);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT \"TrainedBy\" FROM \"Runs\" WHERE \"Id\" = @id", connection);
        query.Parameters.AddWithValue("id", runId);
        return await query.ExecuteScalarAsync() as string;
    }

    [SkippableFact]
    public async Task A_watcher_on_one_instance_follows_a_run_trained_by_the_other_which_cancels_through_either_and_survives_a_restart()
    {
        SkipWithoutServices();
        var a = Instance("a", Data);
        var b = Instance("b", Data);
        try
        {
            var book = await a.UploadBookAsync(StudioClient.Repeated(200));
            var run = await a.CreateRunAsync(StudioClient.TinyRun(book.Id, StudioClient.Tiny(epochs: 500, evaluateEvery: 20) with { Hidden = 32 }));
            await a.WaitForStatusAsync(run.Id, RunStatus.Running);
            var trainer = await TrainedByAsync(run.Id);
            Assert.Contains(trainer, new[] { "a", "b" }); // one of them claimed it, and only one
            var (training, other) = trainer == "a" ? (a, b) : (b, a);

            // The other instance's hub: the history so far, then live points as they are trained over there.
            await using var watcher = other.Hub("/hubs/training");
            var live = new ConcurrentQueue<MetricDto>();
            watcher.On<int, MetricDto>("Progress", (_, m) => live.Enqueue(m));
            await watcher.StartAsync();
            await Task.Delay(500);
            var snapshot = await watcher.InvokeAsync<RunSnapshot>("Watch", run.Id);
            Assert.NotEmpty(snapshot.Metrics);
            for (var i = 0; i < 100 && live.Count < 5; i++) await Task.Delay(100);
            Assert.True(live.Count >= 5, $"{live.Count} live points reached the other instance's watcher");
            Assert.True(live.Min(m => m.Step) <= snapshot.Metrics.Max(m => m.Step) + 1, "no gap between the history and the live points");

            // Restarting the instance that does not train it leaves the run running.
            other.Dispose();
            other = Instance(other == a ? "a" : "b", Data);
            if (trainer == "a") b = other; else a = other;
            var after = await other.GetAsync<RunDto>($"/api/runs/{run.Id}");
            Assert.True(after.Status == RunStatus.Running, $"{after.Status}: {after.Error}");

            // Cancel through the instance that does not train it: the trainer stops after a step, with a checkpoint.
            var cancel = await other.Http.PostAsync($"/api/runs/{run.Id}/cancel", null);
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var cancelled = await training.WaitForStatusAsync(run.Id, RunStatus.Cancelled);
            var checkpoints = await other.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}");
            Assert.Contains(checkpoints, c => c.Step == cancelled.Step);
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [SkippableFact]
    public async Task A_sign_in_cookie_from_one_instance_works_on_the_other()
    {
        SkipWithoutServices();
        const string token = "scale-out-owner-token";
        using var a = Instance("a", Data, ("CharRnn:OwnerToken", token));
        using var b = Instance("b", _otherData, ("CharRnn:OwnerToken", token)); // not even the data folder in common: the keys are in the store
        var cookies = new CookieContainer();
        using var atA = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = a.BaseAddress };
        using var atB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = b.BaseAddress };

        Assert.Equal(HttpStatusCode.Redirect, (await atB.GetAsync("/runs/new")).StatusCode); // not signed in
        var signIn = await atA.GetAsync("/account/signin?token=" + token + "&returnUrl=/runs/new");
        Assert.Equal("/runs/new", signIn.Headers.Location!.OriginalString);
        // Both listen on 127.0.0.1 (different ports): a cookie is per host, so B's client sends A's cookie.
        Assert.Equal(HttpStatusCode.OK, (await atB.GetAsync("/runs/new")).StatusCode);
    }

    public override void Dispose()
    {
        Directory.Delete(_otherData, recursive: true);
        base.Dispose();
    }
}
