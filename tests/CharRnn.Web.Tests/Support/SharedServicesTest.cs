using Npgsql;

namespace CharRnn.Web.Tests.Support;

/// <summary>
/// A test of several web instances on the real shared services that <c>.ci/run</c> starts: PostgreSQL
/// (<c>CHARRNN_TEST_POSTGRES</c>, a user that may create databases and end other sessions, pg_signal_backend: each test
/// gets a database of its own, dropped at the end with whatever session, autovacuum's too, is still in it) and Redis (<c>CHARRNN_TEST_REDIS</c>); and a data folder for the instances to share.
/// </summary>
public abstract class SharedServicesTest : IDisposable
{
    protected readonly string Data = Directory.CreateTempSubdirectory("charrnn-shared-").FullName;
    protected readonly string? Postgres = Environment.GetEnvironmentVariable("CHARRNN_TEST_POSTGRES");
    protected readonly string? Redis = Environment.GetEnvironmentVariable("CHARRNN_TEST_REDIS");
    private readonly string _database = $"charrnn_test_{Guid.NewGuid():N}";

    protected string Store => new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;

    protected bool ServicesMissing => string.IsNullOrEmpty(Postgres) || string.IsNullOrEmpty(Redis);

    public virtual void Dispose()
    {
        Directory.Delete(Data, recursive: true);
        GC.SuppressFinalize(this);
        if (string.IsNullOrEmpty(Postgres)) return;
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(Postgres);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}
