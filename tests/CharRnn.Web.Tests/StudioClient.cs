using System.Net;
using System.Net.Http.Json;
using System.Text;
using CharRnn.Web.Contracts;

namespace CharRnn.Web.Tests;

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

    public static async Task<BookDto> UploadBookAsync(this StudioServer server, string text)
    {
        var response = await server.UploadAsync(Encoding.UTF8.GetBytes(text));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BookDto>(Json.Options))!;
    }

    /// <summary>A completed tiny run's newest checkpoint (256 units, so sampling it takes a measurable moment).</summary>
    public static async Task<int> TrainedCheckpointAsync(this StudioServer server)
    {
        var book = await server.UploadBookAsync(Repeated(50));
        var run = await server.CreateRunAsync(TinyRun(book.Id, epochs: 1) with { Hidden = 256 });
        await server.WaitForStatusAsync(run.Id, "completed");
        return (await server.GetAsync<List<CheckpointDto>>($"/api/checkpoints?runId={run.Id}"))[^1].Id;
    }

    /// <summary>A tiny model on the verse: a step takes milliseconds.</summary>
    public static CreateRunRequest TinyRun(int bookId, int epochs, int evaluateEvery = 10) =>
        new(bookId, "tiny", Hidden: 16, Layers: 1, Dropout: 0, LearningRate: 0.01, BatchSize: 4, SequenceLength: 10,
            Epochs: epochs, GradientClip: 5, ValidationFraction: 0.1, EvaluateEvery: evaluateEvery, Seed: 1, Device: "cpu");

    public static async Task<RunDto> CreateRunAsync(this StudioServer server, CreateRunRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/runs", request, Json.Options);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json.Options))!;
    }

    /// <summary>Polls the run until it reaches one of the statuses (the hubs are tested separately).</summary>
    public static async Task<RunDto> WaitForStatusAsync(this StudioServer server, int runId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = await server.GetAsync<RunDto>($"/api/runs/{runId}");
            if (statuses.Contains(run.Status)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} is still {run.Status}, not {string.Join(" or ", statuses)}.");
            await Task.Delay(50);
        }
    }

    public static async Task<string> ProblemDetailAsync(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Json.Options);
        return problem!.Detail!;
    }
}
