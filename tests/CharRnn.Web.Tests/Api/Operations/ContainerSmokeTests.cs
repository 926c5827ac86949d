using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using CharRnn.Bench.Reports;

namespace CharRnn.Web.Tests.Api.Operations;

/// <summary>
/// The container image without a container engine (none runs here, and base images cannot be pulled): the app is
/// published by the script the Dockerfile's build stage runs, and started as its ENTRYPOINT starts it, with its ENV
/// (the data folder moved to a given path, the port to a free one), then answers /health and a page.
/// </summary>
[Slow(SlowBecause.Process)]
public class ContainerSmokeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-image-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Dockerfile => File.ReadAllText(RepositoryPath.Resolve("Dockerfile"));

    [Fact]
    public async Task The_image_build_and_entry_point_serve_health_and_pages_with_the_data_in_the_volume()
    {
        var dockerfile = Dockerfile;
        var publish = Regex.Match(dockerfile, @"^RUN bash (scripts/publish\.sh) (/\S+) ""\$TORCH_BACKEND""$", RegexOptions.Multiline);
        Assert.True(publish.Success, "the build stage publishes with scripts/publish.sh");
        var appFolder = publish.Groups[2].Value;
        var environment = Regex.Matches(dockerfile, @"^ENV (\S+?)=(\S+)$", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var entryPoint = JsonSerializer.Deserialize<string[]>(Regex.Match(dockerfile, @"^ENTRYPOINT (\[.*\])$", RegexOptions.Multiline).Groups[1].Value)!;
        Assert.Equal("/data", environment["CharRnn__DataDirectory"]);
        Assert.Matches(@"^VOLUME /data$", dockerfile.Split('\n').Single(l => l.StartsWith("VOLUME")));
        Assert.Equal("http://+:8080", environment["ASPNETCORE_URLS"]);

        var app = Path.Combine(_folder, "app");
        await RunAsync("bash", [RepositoryPath.Resolve(publish.Groups[1].Value), app, "cpu"], TimeSpan.FromMinutes(8));

        var data = Path.Combine(_folder, "data"); // the volume's mount point, moved
        var port = FreePort();
        var start = new ProcessStartInfo(entryPoint[0], entryPoint[1..]) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["CharRnn__DataDirectory"] = data;
        start.Environment["ASPNETCORE_URLS"] = environment["ASPNETCORE_URLS"].Replace(":8080", $":{port}");
        Assert.Matches($"(?m)^COPY --from=build {Regex.Escape(appFolder)} \\.$", dockerfile); // the final stage runs what was published
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? health = null;
            for (var i = 0; i < 120 && health is not { IsSuccessStatusCode: true }; i++)
            {
                Assert.False(process.HasExited, $"The app exited: {output}");
                try { health = await http.GetAsync("/health"); } catch (HttpRequestException) { await Task.Delay(500); }
            }
            Assert.Equal(HttpStatusCode.OK, health!.StatusCode);
            Assert.Contains("\"status\":\"Healthy\"", await health.Content.ReadAsStringAsync());
            var page = await http.GetStringAsync("/runs");
            Assert.Contains("CharRnn Studio", page);

            // Listening on every address, the app is exposed: it made an owner token, and everything it keeps is in the volume.
            Assert.True(File.Exists(Path.Combine(data, "owner-token")), output.ToString());
            Assert.True(File.Exists(Path.Combine(data, "studio.db")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "keys")));
            Assert.Contains("/account/signin?token=", output.ToString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void The_image_runs_as_a_non_root_user_with_a_health_check_and_the_context_leaves_builds_and_data_out()
    {
        var dockerfile = Dockerfile;
        var final = dockerfile[dockerfile.IndexOf("AS final", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^USER app$", final);
        Assert.Matches(@"(?m)^HEALTHCHECK .*http://127\.0\.0\.1:8080/health", final);
        Assert.Contains("FROM runtime-${TORCH_BACKEND} AS final", dockerfile);
        Assert.Matches(@"(?m)^FROM nvidia/cuda:\S+ AS runtime-cuda$", dockerfile);
        var ignored = File.ReadAllLines(RepositoryPath.Resolve(".dockerignore"));
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "data/" })
            Assert.Contains(pattern, ignored);
    }

    private static async Task RunAsync(string file, string[] args, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(" ", args)} failed: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
