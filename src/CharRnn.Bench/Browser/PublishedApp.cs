using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CharRnn.Bench.Browser;

/// <summary>
/// The web app published with <c>dotnet publish -c Release</c> into a temporary folder and run from there as its own
/// process on 127.0.0.1, so the browser downloads what a deployment serves (trimmed, compressed), not a build's files.
/// </summary>
internal sealed class PublishedApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PublishedApp(Process process, string folder, Uri address) => (_process, _folder, Address) = (process, folder, address);

    public Uri Address { get; }

    public static async Task<PublishedApp> StartAsync(string project)
    {
        var folder = Directory.CreateTempSubdirectory("charrnn-published-").FullName;
        var app = Path.Combine(folder, "app");
        Console.WriteLine($"publishing {project} to {app}…");
        await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", app, "--nologo", "-v", "q"]);

        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [Path.Combine(app, "CharRnn.Web.dll"), "--urls", $"http://127.0.0.1:{port}",
            "--CharRnn:DataDirectory", Path.Combine(folder, "data"), "--Logging:LogLevel:Default", "Warning"])
        { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info)!;
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = address };
        for (var tries = 0; ; tries++)
        {
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (tries < 120) { }
            if (process.HasExited) throw new InvalidOperationException($"The published app exited: {await process.StandardError.ReadToEndAsync()}");
            await Task.Delay(500);
        }
        return new PublishedApp(process, folder, address);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(" ", args)} failed: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
