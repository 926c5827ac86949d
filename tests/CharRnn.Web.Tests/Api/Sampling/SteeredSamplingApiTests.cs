using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Sampling;

/// <summary>
/// Top-p and stop sequences on the server: the answer says why a passage ended, the hub and the batch draw the same
/// text, passages keep both settings, and bad values get a 400 with nothing stored.
/// </summary>
public class SteeredSamplingApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-steered-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<SampleResponse> SampleAsync(StudioServer server, SampleRequest request)
    {
        var response = await server.Http.PostAsJsonAsync("/api/samples", request, Json.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SampleResponse>(Json.Options))!;
    }

    [Fact]
    public async Task A_stop_ends_the_passage_at_it_on_the_api_the_hub_and_in_variations()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 32);
        var free = await SampleAsync(server, new SampleRequest(checkpoint, "the ", 400, 1.0, null, 5, TopP: 0.95));
        Assert.Equal(SampleEnding.Length, free.EndedBy);
        var drawn = free.Text["the ".Length..];
        var stop = drawn.Substring(200, 2);
        var end = "the ".Length + drawn.IndexOf(stop, StringComparison.Ordinal) + stop.Length;

        var request = new SampleRequest(checkpoint, "the ", 400, 1.0, null, 5, TopP: 0.95, Stop: [stop, "never drawn"]);
        var stopped = await SampleAsync(server, request);

        Assert.Equal(free.Text[..end], stopped.Text);
        Assert.Equal(SampleEnding.Stop, stopped.EndedBy);

        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        var streamed = new StringBuilder();
        await foreach (var chunk in hub.StreamAsync<string>("Sample", request)) streamed.Append(chunk);
        Assert.Equal(stopped.Text, streamed.ToString());

        var variations = await server.Http.PostAsJsonAsync("/api/samples/variations",
            new VariationsRequest(checkpoint, "the ", 400, 1.0, null, 5, Count: 2, TopP: 0.95, Stop: [stop, "never drawn"]), Json.Options);
        var passages = (await variations.Content.ReadFromJsonAsync<VariationsResponse>(Json.Options))!.Passages;
        Assert.Equal(stopped.Text, passages[0].Text);
        Assert.Equal(SampleEnding.Stop, passages[0].EndedBy);
        var second = await SampleAsync(server, request with { Seed = 6 });
        Assert.Equal((second.Text, second.EndedBy), (passages[1].Text, passages[1].EndedBy));
    }

    [Fact]
    public async Task A_passage_keeps_its_top_p_and_stops_and_its_generate_again_address_carries_them()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 32);
        var drawn = await SampleAsync(server, new SampleRequest(checkpoint, "the ", 300, 0.9, 5, 8, TopP: 0.8, Stop: ["\n\n", "a b"]));

        var created = await server.Http.PostAsJsonAsync("/api/passages",
            new PassageRequest(checkpoint, "the ", 300, 0.9, 5, 8, drawn.Text, TopP: 0.8, Stop: ["\n\n", "a b"]), Json.Options);
        created.EnsureSuccessStatusCode();
        var slug = (await created.Content.ReadFromJsonAsync<PassageDto>(Json.Options))!.Slug;
        var passage = (await server.Http.GetFromJsonAsync<PassageDto>($"/api/passages/{slug}", Json.Options))!;

        Assert.Equal(0.8, passage.TopP);
        Assert.Equal(["\n\n", "a b"], passage.Stop);
        var again = await SampleAsync(server, new SampleRequest(passage.CheckpointId, passage.Prime, passage.Length, passage.Temperature, passage.TopK, passage.Seed, passage.TopP, passage.Stop));
        Assert.Equal(passage.Text, again.Text);
        var page = await server.Http.GetStringAsync($"/p/{slug}");
        Assert.Contains("topP=0.8", page);
        Assert.Contains("stop=%0A%0A", page);
        Assert.Contains("stop=a%20b", page);
    }

    [Fact]
    public async Task A_beam_search_answers_with_its_score_and_streams_the_same_text_on_the_hub()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 32);
        var request = new SampleRequest(checkpoint, "the ", 200, 0.8, null, 3, Beam: 4);

        var answer = await SampleAsync(server, request);
        var greedy = await SampleAsync(server, request with { Beam = 1 });

        Assert.Equal(SampleEnding.Length, answer.EndedBy);
        Assert.True(answer.LogProbability < 0 && answer.LogProbability >= greedy.LogProbability, $"beam {answer.LogProbability}, greedy {greedy.LogProbability}");
        Assert.Equal(-answer.LogProbability!.Value / 200 / Math.Log(2), answer.BitsPerCharacter!.Value, 1e-9);
        Assert.Equal((await SampleAsync(server, request with { TopK = 1, Beam = null })).Text, greedy.Text); // width 1 is greedy
        Assert.Null((await SampleAsync(server, request with { Beam = null })).LogProbability); // a drawn passage has no score

        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        var streamed = new StringBuilder();
        await foreach (var chunk in hub.StreamAsync<string>("Sample", request)) streamed.Append(chunk);
        Assert.Equal(answer.Text, streamed.ToString());
    }

    public static TheoryData<double?, string[]?, string> Bad => new()
    {
        { 0.0, null, "Top-p must be above 0 and at most 1" },
        { 1.01, null, "Top-p must be above 0 and at most 1" },
        { null, ["a", "b", "c", "d", "e"], "At most 4 stop sequences" },
        { null, [new string('a', 65)], "at most 64 characters" },
        { null, [""], "cannot be empty" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public async Task Bad_top_p_or_stops_get_a_400_with_the_reason_and_store_no_passage(double? topP, string[]? stop, string reason)
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 16);

        var sample = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the ", 50, TopP: topP, Stop: stop), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, sample.StatusCode);
        Assert.Contains(reason, await sample.ProblemDetailAsync());

        var passage = await server.Http.PostAsJsonAsync("/api/passages", new PassageRequest(checkpoint, "the ", 50, 1.0, null, 1, "the text", topP, stop), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, passage.StatusCode);
        Assert.Contains(reason, await passage.ProblemDetailAsync());
        Assert.Equal(0L, await PassagesStoredAsync());
    }

    [Theory]
    [InlineData(9, null, "Beam width must be between 1 and 8")]
    [InlineData(0, null, "Beam width must be between 1 and 8")]
    [InlineData(2, 5, "does not combine with top-k or top-p")]
    public async Task A_bad_beam_gets_a_400_with_the_reason(int beam, int? topK, string reason)
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 16);

        var sample = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the ", 50, TopK: topK, Beam: beam), Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, sample.StatusCode);
        Assert.Contains(reason, await sample.ProblemDetailAsync());
    }

    /// <summary>Rows in the real SQLite store's Passages table.</summary>
    private async Task<long> PassagesStoredAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "studio.db")};Pooling=False");
        await db.OpenAsync();
        var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Passages";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
