using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace CharRnn.Web.Tests.Support;

/// <summary>The real server as a process of its own on a free port of 127.0.0.1, one training thread, which a test can kill with SIGKILL.</summary>
public sealed class ServerProcess : IDisposable
{
    public ServerProcess(string data)
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        }
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CharRnn.Web.dll"), "--urls", Address.ToString().TrimEnd('/'),
            "--CharRnn:DataDirectory", data, "--CharRnn:TrainingThreads", "1", "--Logging:LogLevel:Default", "Warning"])
        { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        Process = Process.Start(info)!;
        Process.OutputDataReceived += (_, _) => { };
        Process.ErrorDataReceived += (_, _) => { };
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = Address };
    }

    public Uri Address { get; }
    public Process Process { get; }
    public HttpClient Http { get; }

    public async Task WaitUntilUpAsync()
    {
        for (var i = 0; i < 240; i++)
        {
            try { if ((await Http.GetAsync("/health")).IsSuccessStatusCode) return; } catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The server process did not come up.");
    }

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, Json.Options))!;

    public void Kill() => Process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush, no checkpoint

    public void Dispose()
    {
        if (!Process.HasExited) Kill();
        Process.WaitForExit();
        Process.Dispose();
        Http.Dispose();
    }
}
