using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace CharRnn.Web.Tests.Support;

/// <summary>What a script would do with the REST API, in a few calls.</summary>
internal static class StudioClient
{
    public const string Verse = "the quick brown fox jumps over the lazy dog.\n";

    public static string Repeated(int times) => string.Concat(Enumerable.Repeat(Verse, times));

    public static async Task<HttpResponseMessage> UploadAsync(this StudioServer server, byte[] bytes, string fileName = "book.txt")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new("text/plain");
        form.Add(file, "file", fileName);
        return await server.Http.PostAsync("/api/books", form);
    }

    public static async Task<BookDto> UploadBookAsync(this StudioServer server, string text, string fileName = "book.txt")
    {
        var response = await server.UploadAsync(Encoding.UTF8.GetBytes(text), fileName);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BookDto>(Json.Options))!;
    }

    /// <summary>A completed tiny run's newest checkpoint (256 units, so sampling it takes a measurable moment).</summary>
    public static async Task<int> TrainedCheckpointAsync(this StudioServer server)
    {
        var book = await server.UploadBookAsync(Repeated(50));
        var run = await server.CreateRunAsync(TinyRun(book.Id, Tiny(epochs: 1) with { Hidden = 256 }));
        await server.WaitForStatusAsync(run.Id, RunStatus.Completed);
        return (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1].Id;
    }

    /// <summary>A tiny model on the verse: a step takes milliseconds.</summary>
    /// <summary>
    /// Letters drawn independently by fixed frequencies: there is nothing to learn but how often each occurs, so any
    /// model, at any rate, stays at the frequency line (a stuck run, every time).
    /// </summary>
    public static string Noise(int characters)
    {
        var random = new Random(7);
        const string letters = "eeeeettaaoinshr d";
        return new string(Enumerable.Range(0, characters).Select(_ => letters[random.Next(letters.Length)]).ToArray());
    }

    public static TrainingOptions Tiny(int epochs, int evaluateEvery = 10) => new()
    {
        Hidden = 16, Layers = 1, Dropout = 0, LearningRate = 0.01, BatchSize = 4, SequenceLength = 10,
        Epochs = epochs, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = evaluateEvery, Seed = 1, Device = DeviceChoice.Cpu,
    };

    public static CreateRunRequest TinyRun(int bookId, int epochs, int evaluateEvery = 10) => TinyRun(bookId, Tiny(epochs, evaluateEvery));

    public static CreateRunRequest TinyRun(int bookId, TrainingOptions options) => CreateRunRequest.For(bookId, options, "tiny");

    /// <summary>
    /// The tiny run as a script would ask for it, naming only the model, batch and evaluation fields, over a preset;
    /// <paramref name="changes"/> set more fields, or leave one out with a null value (the preset's then stands).
    /// </summary>
    public static CreateRunRequest TinyRun(int bookId, int epochs, string preset, params (string Field, object? Value)[] changes)
    {
        var fields = new Dictionary<string, object?>
        {
            ["hidden"] = 16, ["layers"] = 1, ["dropout"] = 0, ["learningRate"] = 0.01, ["batchSize"] = 4, ["sequenceLength"] = 10, ["epochs"] = epochs,
            ["gradientClip"] = 5, ["validationFraction"] = 0.1, ["evaluateEvery"] = 10, ["seed"] = 1, ["device"] = "cpu",
        };
        foreach (var (field, value) in changes)
            if (value is null) fields.Remove(field);
            else fields[field] = value;
        return new(bookId, "tiny", preset) { Options = fields.ToDictionary(f => f.Key, f => System.Text.Json.JsonSerializer.SerializeToElement(f.Value, ContractsJson.Options)) };
    }

    public static async Task<RunDto> CreateRunAsync(this StudioServer server, CreateRunRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/runs", request, Json.Options);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
    }

    /// <summary>Polls the run until it reaches one of the statuses (the hubs are tested separately).</summary>
    public static Task<RunDto> WaitForStatusAsync(this StudioServer server, int runId, params RunStatus[] statuses) =>
        server.WaitForRunAsync(runId, run => statuses.Contains(run.Status), run => $"still {run.Status.Name()}, not {string.Join(" or ", statuses.Select(s => s.Name()))}");

    /// <summary>Polls the run until it has trained <paramref name="step"/> steps, or has ended short of them.</summary>
    public static Task<RunDto> WaitForStepAsync(this StudioServer server, int runId, long step) =>
        server.WaitForRunAsync(runId, run => run.Step >= step || !run.Status.IsActive(), run => $"{run.Status.Name()} at step {run.Step}, short of {step}");

    /// <summary>Polls the run until <paramref name="done"/> holds; after two minutes, fails saying where it stands (<paramref name="stands"/>).</summary>
    private static async Task<RunDto> WaitForRunAsync(this StudioServer server, int runId, Func<RunDto, bool> done, Func<RunDto, string> stands)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await server.GetAsync<RunDto>($"/api/runs/{runId}");
            if (done(run)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} is {stands(run)}.");
            await Task.Delay(50);
        }
    }

    /// <summary>A random 2×<paramref name="hidden"/> model over the verse's alphabet (and "T"), imported in the notebook's format.</summary>
    public static async Task<int> ImportRandomModelAsync(this StudioServer server, int hidden)
    {
        TorchSharp.torch.manual_seed(3);
        var vocabulary = CharRnn.Inference.Tokens.Vocabulary.FromText(Verse + "T");
        using var model = new CharRnn.Training.Model.CharRnnModel(vocabulary.Count, hidden, 2, 0.5);
        var checkpoint = new CharRnn.Inference.Checkpoints.Checkpoint(new CharRnn.Inference.Lstm.ModelConfig(hidden, 2, 0.5, vocabulary.Count), vocabulary,
            CharRnn.Training.Model.ModelWeights.Export(model), null, DateTimeOffset.UtcNow);
        using var file = new MemoryStream();
        CharRnn.Training.Checkpoints.NotebookCheckpoint.Write(file, checkpoint);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", $"random-2x{hidden}.net" } };
        var response = await server.Http.PostAsync("/api/checkpoints/import", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CheckpointDto>(Json.Options))!.Id;
    }

    /// <summary>The server's text for a request (<c>POST /api/samples</c>).</summary>
    public static async Task<string> SampleAsync(this StudioServer server, SampleRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/samples", request, Json.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SampleResponse>(Json.Options))!.Text;
    }

    public static async Task<string> ProblemDetailAsync(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Json.Options);
        return problem!.Detail!;
    }
}
