using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace CharRnn.Web.Tests.Api.Sampling;

/// <summary>Several passages from one prime, drawn together in one batch: each is the passage its seed gives alone.</summary>
public class VariationsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-variations-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<string> AloneAsync(StudioServer server, int checkpoint, int seed)
    {
        var response = await server.Http.PostAsJsonAsync("/api/samples", new SampleRequest(checkpoint, "the ", 300, 0.9, 5, seed), Json.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SampleResponse>(Json.Options))!.Text;
    }

    [Fact]
    public async Task Variations_on_the_api_and_the_hub_are_each_seeds_text_alone()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.TrainedCheckpointAsync();
        var alone = new List<string>();
        for (var seed = 40; seed < 45; seed++) alone.Add(await AloneAsync(server, checkpoint, seed));

        var response = await server.Http.PostAsJsonAsync("/api/samples/variations", new VariationsRequest(checkpoint, "the ", 300, 0.9, 5, Seed: 40, Count: 5), Json.Options);
        response.EnsureSuccessStatusCode();
        var passages = (await response.Content.ReadFromJsonAsync<VariationsResponse>(Json.Options))!.Passages;

        Assert.Equal([40, 41, 42, 43, 44], passages.Select(p => p.Seed));
        Assert.Equal(alone, passages.Select(p => p.Text));
        Assert.Equal(5, alone.Distinct().Count());

        await using var hub = server.Hub("/hubs/sampling");
        await hub.StartAsync();
        var streamed = Enumerable.Range(0, 5).Select(_ => new StringBuilder()).ToArray();
        var chunks = 0;
        await foreach (var chunk in hub.StreamAsync<VariationChunk>("SampleVariations", new VariationsRequest(checkpoint, "the ", 300, 0.9, 5, Seed: 40, Count: 5)))
        {
            streamed[chunk.Index].Append(chunk.Text);
            chunks++;
        }
        Assert.Equal(alone, streamed.Select(s => s.ToString()));
        Assert.True(chunks > 5, $"{chunks} chunks: the passages arrive as they are drawn, not at the end");
    }

    [Fact]
    public async Task Passages_requested_at_once_by_several_clients_each_keep_their_text()
    {
        // All from 127.0.0.1: the per-client limit is raised so that six can be under way at once.
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxConcurrentSamplingsPerClient"] = "8" });
        var checkpoint = await server.TrainedCheckpointAsync();
        var alone = new List<string>();
        for (var seed = 1; seed <= 6; seed++) alone.Add(await AloneAsync(server, checkpoint, seed));

        // Six requests at once: they share one batch as they come and go.
        var together = await Task.WhenAll(Enumerable.Range(1, 6).Select(async seed =>
        {
            await Task.Delay(seed * 15);
            return await AloneAsync(server, checkpoint, seed);
        }));

        Assert.Equal(alone, together);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public async Task A_count_outside_one_to_eight_is_refused(int count)
    {
        using var server = new StudioServer(_data);
        var response = await server.Http.PostAsJsonAsync("/api/samples/variations", new VariationsRequest(1, "a", 10, Count: count), Json.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Count must be between 1 and 8", await response.ProblemDetailAsync());
    }
}
