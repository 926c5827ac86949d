using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

public class BitsPerCharacterTests
{
    private static LstmEngine Engine() => new(new LstmWeights(RandomCheckpoints.Create("abcdefgh ", 32, 2)));

    [Fact]
    public void Bits_are_the_mean_of_each_characters_surprise_and_name_the_likeliest_alternatives()
    {
        var result = BitsPerCharacter.Measure(Engine(), "abc cab bad", alternatives: 3);

        Assert.Equal(10, result.Characters);
        Assert.Equal(result.Detail.Average(d => d.Bits), result.BitsPerChar, 12);
        Assert.Equal("bc cab bad", string.Concat(result.Detail.Select(d => d.Character)));
        Assert.All(result.Detail, d =>
        {
            Assert.Equal(3, d.Alternatives.Count);
            Assert.True(d.Alternatives[0].Probability >= d.Alternatives[1].Probability);
        });
        // A random model over 9 characters is close to a uniform guess: log2 9 ≈ 3.17 bits.
        Assert.InRange(result.BitsPerChar, 2.5, 4);
    }

    [Fact]
    public void A_text_with_characters_the_model_does_not_know_is_refused_naming_them()
    {
        var error = Assert.Throws<UnknownCharactersException>(() => BitsPerCharacter.Measure(Engine(), "abc XYZ"));
        Assert.Contains("'X'", error.Message);
    }
}
