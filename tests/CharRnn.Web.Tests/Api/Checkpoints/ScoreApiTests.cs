using System.Net;
using System.Net.Http.Json;

namespace CharRnn.Web.Tests.Api.Checkpoints;

/// <summary><c>POST /api/checkpoints/{id}/score</c> on a real server: a text's bits, each character's, and what it reads past.</summary>
public class ScoreApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-score-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<ScoreResponse> ScoreAsync(StudioServer server, int checkpoint, ScoreRequest request)
    {
        var response = await server.Http.PostAsJsonAsync($"/api/checkpoints/{checkpoint}/score", request, Json.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ScoreResponse>(Json.Options))!;
    }

    [Fact]
    public async Task A_text_gets_its_total_and_each_characters_bits_the_same_figure_as_the_bits_endpoint()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 32);
        const string text = "the quick brown fox";

        var score = await ScoreAsync(server, checkpoint, new ScoreRequest(text, Characters: true));
        var bits = await server.GetAsync<BitsDto>($"/api/checkpoints/{checkpoint}/bits?text={Uri.EscapeDataString(text)}");

        Assert.Equal(bits.BitsPerChar, score.BitsPerCharacter, 1e-12);
        Assert.Equal(text.Length - 1, score.CharactersScored); // the first character is only read
        Assert.Equal(0, score.CharactersReadPast);
        Assert.Equal(text[1..].Select(c => c.ToString()), score.Characters!.Select(c => c.Character));
        Assert.Equal(score.TotalBits, score.Characters!.Sum(c => c.Bits), 1e-9);
        Assert.Equal(score.TotalBits / score.CharactersScored, score.BitsPerCharacter, 1e-12);
        Assert.Null((await ScoreAsync(server, checkpoint, new ScoreRequest(text))).Characters); // only when asked for
    }

    [Fact]
    public async Task Characters_the_model_lacks_are_read_past_and_counted_as_if_they_were_not_there()
    {
        using var server = new StudioServer(_data);
        var checkpoint = await server.ImportRandomModelAsync(hidden: 32); // the verse's alphabet: no digits, no '§'

        var with = await ScoreAsync(server, checkpoint, new ScoreRequest("the 4 quick§ brown fox", Characters: true));
        var without = await ScoreAsync(server, checkpoint, new ScoreRequest("the  quick brown fox", Characters: true));

        Assert.Equal(2, with.CharactersReadPast);
        Assert.Equal(without.CharactersScored, with.CharactersScored);
        Assert.Equal(without.TotalBits, with.TotalBits, 1e-12); // the model is not stepped for them: its state carries over
        Assert.DoesNotContain(with.Characters!, c => c.Character is "4" or "§");
    }

    [Fact]
    public async Task A_text_over_the_inside_limit_an_unreadable_one_or_an_unknown_checkpoint_gets_the_reason()
    {
        using var server = new StudioServer(_data, settings: new Dictionary<string, string> { ["CharRnn:Limits:MaxInsideCharacters"] = "100" });
        var checkpoint = await server.ImportRandomModelAsync(hidden: 16);

        async Task<(HttpStatusCode, string)> Refused(int id, string text)
        {
            var response = await server.Http.PostAsJsonAsync($"/api/checkpoints/{id}/score", new ScoreRequest(text), Json.Options);
            return (response.StatusCode, await response.ProblemDetailAsync());
        }

        var (status, reason) = await Refused(checkpoint, new string('a', 101));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The text is 101 characters; the limit is 100", reason);
        (status, reason) = await Refused(checkpoint, "a§§§");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at least two characters the model knows", reason);
        (status, _) = await Refused(checkpoint + 100, "the text");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
