namespace CharRnn.Web.Tests.Support;

/// <summary>
/// One server for a whole test class (<c>IClassFixture&lt;SharedServer&gt;</c>), for classes whose tests only read or
/// create their own data: booting Kestrel and migrating a new SQLite file once, not once a test. A test on such a server
/// finds the other tests' books and runs beside its own, so it counts only what it made. A test that restarts the
/// server, changes its settings or needs an empty store keeps a <see cref="StudioServer"/> of its own.
/// </summary>
public sealed class SharedServer : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-shared-server-").FullName;

    public SharedServer() => Server = new StudioServer(_data);

    public StudioServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
