using System.Net.Http.Json;
using CharRnn.Bench.Engine;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Checkpoints;
using CharRnn.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CharRnn.Bench.Web;

/// <summary>The app, started on 127.0.0.1 at a free port with a data folder of its own, for the bench commands; disposing stops it and deletes the folder.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private readonly bool _ownsData;

    private BenchHost(WebApplication app, string data, Uri address, bool ownsData) => (_app, _data, Address, _ownsData) = (app, data, address, ownsData);

    public Uri Address { get; }

    /// <param name="settings">More command-line settings for the app (<c>--CharRnn:Key value</c> pairs).</param>
    public static Task<BenchHost> StartAsync(params string[] settings) => StartAsync(null, settings);

    /// <param name="shared">A data folder the caller owns (several hosts share it, and it is not deleted); null for a new one.</param>
    public static async Task<BenchHost> StartAsync(string? shared, params string[] settings)
    {
        var data = shared ?? Directory.CreateTempSubdirectory("charrnn-webbench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls", "http://127.0.0.1:0", "--CharRnn:DataDirectory", data, "--Logging:LogLevel:Default", "Warning", .. settings],
            // The static assets' manifests are the web app's, also when this program hosts it.
            ApplicationName = typeof(StudioHost).Assembly.GetName().Name,
        });
        builder.AddStudioServices();
        var app = builder.Build();
        await app.MigrateStoreAsync();
        app.MapStudio();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new BenchHost(app, data, address, shared is null);
    }

    /// <summary>Imports a model with random weights (PyTorch's initialisation) over 83 symbols, anna.txt's alphabet size; returns its checkpoint id.</summary>
    public static async Task<int> ImportRandomModelAsync(Uri address, int hidden = 512, int layers = 2)
    {
        using var http = new HttpClient { BaseAddress = address };
        var (model, checkpoint) = RandomModel.Create(hidden, layers, Vocabulary.FromText(SyntheticText.Create(10_000)));
        model.Dispose();
        using var file = new MemoryStream();
        NotebookCheckpoint.Write(file, checkpoint);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", $"random-{layers}x{hidden}.net" } };
        var response = await http.PostAsync("/api/checkpoints/import", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CheckpointDto>(ContractsJson.Options))!.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsData) Directory.Delete(_data, recursive: true);
    }
}
