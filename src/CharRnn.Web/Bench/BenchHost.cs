using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CharRnn.Web.Bench;

/// <summary>The app, started on 127.0.0.1 at a free port with a data folder of its own, for the bench commands; disposing stops it and deletes the folder.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private BenchHost(WebApplication app, string data, Uri address) => (_app, _data, Address) = (app, data, address);

    public Uri Address { get; }

    public static async Task<BenchHost> StartAsync()
    {
        var data = Directory.CreateTempSubdirectory("charrnn-webbench-").FullName;
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--CharRnn:DataDirectory", data, "--Logging:LogLevel:Default", "Warning"]);
        builder.AddStudioServices();
        var app = builder.Build();
        await app.MigrateStoreAsync();
        app.MapStudio();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new BenchHost(app, data, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
