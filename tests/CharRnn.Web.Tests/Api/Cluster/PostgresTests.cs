using Npgsql;

namespace CharRnn.Web.Tests.Api.Cluster;

/// <summary>
/// The same flow on PostgreSQL instead of SQLite. Needs a server: <c>.ci/run</c> installs and starts one and sets
/// <c>CHARRNN_TEST_POSTGRES</c> to a connection string whose user may create databases; elsewhere the test is skipped, and says so.
/// </summary>
[Slow(SlowBecause.Service)]
public class PostgresTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-web-pg-").FullName;
    private readonly string _otherData = Directory.CreateTempSubdirectory("charrnn-web-pg2-").FullName;
    private readonly string? _connection = Environment.GetEnvironmentVariable("CHARRNN_TEST_POSTGRES");

    public void Dispose()
    {
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_otherData, recursive: true);
    }

    [SkippableFact]
    public async Task A_run_trains_and_its_metrics_and_checkpoints_are_stored_in_postgresql()
    {
        Skip.If(string.IsNullOrEmpty(_connection), "Set CHARRNN_TEST_POSTGRES to a PostgreSQL connection string to run this test.");
        var database = $"charrnn_test_{Guid.NewGuid():N}";
        var connection = new NpgsqlConnectionStringBuilder(_connection) { Database = database }.ConnectionString;
        try
        {
            using (var server = new StudioServer(_data, connection))
            {
                var book = await server.UploadBookAsync(StudioClient.Repeated(50));
                var run = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, epochs: 1));
                var done = await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
                Assert.Equal(50, done.Step);
            }
            // A second server on the same database sees everything the first one stored.
            using var again = new StudioServer(_otherData, connection);
            Assert.Single(await again.GetAsync<List<RunDto>>("/api/runs"));
            Assert.Equal(50, (await again.GetAsync<List<MetricDto>>("/api/runs/1/metrics")).Count);
            Assert.Equal(5, (await again.GetAsync<List<CheckpointDto>>("/api/checkpoints?runId=1")).Count);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_connection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
