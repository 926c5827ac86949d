using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

public class VocabularyTests
{
    private const string Mixed = "Все счастливые семьи похожи друг на друга 😀👍🏽 — Happy families are all alike.\n";

    [Fact]
    public void Encode_then_decode_returns_Cyrillic_and_emoji_text_unchanged()
    {
        var vocabulary = Vocabulary.FromText(Mixed);
        var ids = vocabulary.Encode(Mixed);
        Assert.Equal(Mixed, vocabulary.Decode(ids));
    }

    [Fact]
    public void An_emoji_outside_the_basic_plane_is_one_token()
    {
        var vocabulary = Vocabulary.FromText("a😀");
        Assert.Equal(2, vocabulary.Count);
        Assert.Single(vocabulary.Encode("😀"));
        Assert.Equal("😀", vocabulary[1]);
    }

    [Fact]
    public void Tokens_are_sorted_by_code_point_so_the_same_text_gives_the_same_ids()
    {
        var vocabulary = Vocabulary.FromText("cab😀a\n");
        Assert.Equal(["\n", "a", "b", "c", "😀"], vocabulary.Tokens);
        Assert.Equal(vocabulary.Tokens, Vocabulary.FromText("\n😀bca").Tokens);
    }

    [Fact]
    public void A_vocabulary_survives_a_json_round_trip_in_its_own_order()
    {
        var notebookOrder = new Vocabulary(["z", "ж", "\n", "😀", "a"]);
        var copy = Vocabulary.FromJson(notebookOrder.ToJson());
        Assert.Equal(notebookOrder.Tokens, copy.Tokens);
        Assert.Equal([0, 1, 3], copy.Encode("zж😀"));
    }

    [Fact]
    public void Encoding_unknown_characters_names_them()
    {
        var vocabulary = Vocabulary.FromText("abc");
        var error = Assert.Throws<UnknownCharactersException>(() => vocabulary.Encode("abXcYX"));
        Assert.Equal(["X", "Y"], error.Characters);
        Assert.Contains("'X', 'Y'", error.Message);
    }

    [Fact]
    public void A_token_of_two_characters_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "bc"]));
        Assert.Contains("not exactly one Unicode code point", error.Message);
    }

    [Fact]
    public void A_repeated_token_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "b", "a"]));
        Assert.Contains("appears twice", error.Message);
    }
}
