using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CharRnn.Web.Tests.Support;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 (a free port), with a real SQLite file in a data folder of its own.
/// Two servers given the same folder see the same store: that is how a restart is tested.
/// </summary>
public sealed class StudioServer : WebApplicationFactory<Program>
{
    public StudioServer(string dataDirectory, string? postgres = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        _postgres = postgres;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("localhost", "127.0.0.1"));
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    private readonly string? _postgres;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }

    /// <summary>Settings a test changes while the server runs (read by services through IOptionsMonitor).</summary>
    public LiveSettings Live { get; } = new();

    public sealed class LiveSettings : Microsoft.Extensions.Configuration.ConfigurationProvider, Microsoft.Extensions.Configuration.IConfigurationSource
    {
        public Microsoft.Extensions.Configuration.IConfigurationProvider Build(Microsoft.Extensions.Configuration.IConfigurationBuilder builder) => this;

        public void Change(string key, string value)
        {
            Data[key] = value;
            OnReload();
        }
    }

    /// <summary>What the server logged.</summary>
    public LogLines Logs { get; } = new();

    /// <summary>Largest upload this test server accepts, small enough to test the limit.</summary>
    public const int MaxBookBytes = 200_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CharRnn:DataDirectory", DataDirectory);
        builder.UseSetting("CharRnn:MaxBookBytes", MaxBookBytes.ToString());
        builder.UseSetting("CharRnn:TrainingThreads", "1");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        if (_postgres is not null) builder.UseSetting("ConnectionStrings:Postgres", _postgres);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(configuration => configuration.Add(Live));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public HubConnection Hub(string path) =>
        new HubConnectionBuilder().WithUrl(new Uri(BaseAddress, path)).Build();

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, Json.Options))!;

    protected override void Dispose(bool disposing)
    {
        if (disposing) Http.Dispose();
        base.Dispose(disposing);
    }
}
