using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CharRnn.Studio.Client;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Xunit.Abstractions;
using Generated = CharRnn.Studio.Client.Models;

namespace CharRnn.Web.Tests.Api.Operations;

/// <summary>
/// A client generated from <c>/openapi/v1.json</c> by Kiota, as a person scripting runs would make one: the checked-in
/// client (tests/CharRnn.Studio.Client) is exactly what Kiota makes of the document the server serves now, and a script
/// with it uploads a book, trains, and samples against the real server.
/// </summary>
[Slow(SlowBecause.Process)]
public class OpenApiClientTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Where the generated client lives, and the command that makes it (also the README's, with another address).</summary>
    private const string ClientFolder = "tests/CharRnn.Studio.Client/Generated";
    private static readonly string[] Generate = ["kiota", "generate", "-l", "CSharp", "-c", "StudioApiClient", "-n", "CharRnn.Studio.Client", "--exclude-backward-compatible", "--clean-output"];

    /// <summary>Set to 1 to write the client Kiota makes now over the checked-in one.</summary>
    private const string UpdateVariable = "CHARRNN_UPDATE_CLIENT";

    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-client-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_checked_in_client_is_what_Kiota_makes_of_the_served_document()
    {
        // The document names the server it was asked from; the client's default address is the app's own (dotnet run's).
        var document = JsonNode.Parse(await ServedDescription.GetAsync())!;
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "http://localhost:5180" });
        var description = Path.Combine(_data, "openapi.json");
        await File.WriteAllTextAsync(description, document.ToJsonString());
        var generated = Path.Combine(_data, "client");

        var repository = Bench.Reports.RepositoryPath.Resolve(".");
        await DotnetAsync(repository, "tool", "restore");
        await DotnetAsync(repository, [.. Generate, "-d", description, "-o", generated]);
        File.Delete(Path.Combine(generated, "kiota-lock.json")); // it names this run's temporary file

        var checkedIn = Bench.Reports.RepositoryPath.Resolve(ClientFolder);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.Delete(checkedIn, recursive: true);
            CopyFolder(generated, checkedIn);
            output.WriteLine($"{ClientFolder} rewritten from the served document.");
        }
        var made = Files(generated);
        var kept = Files(checkedIn);
        var differ = made.Keys.Union(kept.Keys).Where(f => made.GetValueOrDefault(f) != kept.GetValueOrDefault(f)).Order().ToList();
        Assert.True(differ.Count == 0,
            $"The API's description changed, and {ClientFolder} no longer matches it: {string.Join(", ", differ.Take(10))}{(differ.Count > 10 ? ", …" : "")}. "
            + $"Check the change is meant, then run `{UpdateVariable}=1 dotnet test tests/CharRnn.Web.Tests --filter {nameof(The_checked_in_client_is_what_Kiota_makes_of_the_served_document)}` and commit the client.");
        Assert.True(made.Count > 50, $"only {made.Count} files generated");
    }

    [Fact]
    public async Task A_script_with_the_generated_client_uploads_a_book_trains_a_run_and_samples()
    {
        using var server = new StudioServer(_data);
        using var http = new HttpClient();
        var api = new StudioApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = server.BaseAddress.ToString().TrimEnd('/'),
        });

        var upload = new MultipartBody();
        upload.AddOrReplacePart("file", "text/plain", new MemoryStream(Encoding.UTF8.GetBytes(SweepClient.Anna(20_000))), "anna.txt");
        upload.AddOrReplacePart("name", "text/plain", "Anna, the start");
        var book = (await api.Api.Books.PostAsync(upload))!;
        Assert.Equal(("Anna, the start", 20_000L), (book.Name, book.SizeBytes!.Value));

        // Plain doubles and enums, over the Quick preset: what is not set stays the preset's.
        var created = (await api.Api.Runs.PostAsync(new Generated.CreateRunRequest
        {
            BookId = book.Id, Name = "scripted", Preset = Generated.CreateRunRequest_preset.Quick,
            LearningRate = 0.006, Dropout = 0.1, Schedule = Generated.CreateRunRequest_schedule.Cosine, WarmupSteps = 5, MinLearningRate = 0.0006,
            Hidden = 32, Layers = 1, BatchSize = 8, SequenceLength = 20, Epochs = 1, EvaluateEvery = 40, Seed = 3,
            Device = Generated.CreateRunRequest_device.Cpu, Precision = Generated.CreateRunRequest_precision.Float32,
        }))!;
        var options = created.Options!;
        Assert.Equal((0.006, 0.1, Generated.ScheduleKind.Cosine, 0.0006), (options.LearningRate!.Value, options.Dropout!.Value, options.Schedule!.Value, options.MinLearningRate!.Value));
        Assert.Equal(TrainingPresets.Find("quick")!.Options.GradientClip, options.GradientClip);

        var run = created;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (run.Status is Generated.RunStatus.Queued or Generated.RunStatus.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {run.Id} is still {run.Status} at step {run.Step}");
            await Task.Delay(200);
            run = (await api.Api.Runs[run.Id!.Value].GetAsync())!;
        }
        Assert.Equal(Generated.RunStatus.Completed, run.Status);
        Assert.True(run.ValLoss is > 0 and < 5, $"validation loss {run.ValLoss}");

        var checkpoints = (await api.Api.Checkpoints.GetAsync(c => c.QueryParameters.RunId = run.Id))!;
        var best = checkpoints.Where(c => c.ValLoss is not null).MinBy(c => c.ValLoss)!;
        var sample = (await api.Api.Samples.PostAsync(new Generated.SampleRequest
        {
            CheckpointId = best.Id, Prime = "The ", Length = 200, Temperature = 0.8, TopK = 5, Seed = 11,
        }))!;
        output.WriteLine(sample.Text);
        Assert.StartsWith("The ", sample.Text);
        Assert.Equal(204, sample.Text!.Length);
        // The same text the API gives any caller for that checkpoint, settings and seed.
        var plain = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(best.Id!.Value, "The ", 200, 0.8, 5, 11), Json.Options);
        Assert.Equal(sample.Text, (await plain.Content.ReadFromJsonAsync<SampleResponse>(Json.Options))!.Text);

        // A refusal arrives as the problem it is, with its sentence.
        var missing = await Assert.ThrowsAsync<Generated.ProblemDetails>(() => api.Api.Runs[9999].GetAsync());
        Assert.Equal((404, "There is no run 9999."), (missing.Status!.Value, missing.Detail));
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*.cs", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/> (Kiota is a local tool of the repository), failing with its output.</summary>
    private async Task DotnetAsync(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Kiota asks the network for a newer version of itself unless told not to; CI may have no such access.
        info.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var said = process.StandardOutput.ReadToEndAsync();
        var complained = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        output.WriteLine($"dotnet {string.Join(' ', args)}: {await said}{await complained}");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed: {await said}{await complained}");
    }
}
