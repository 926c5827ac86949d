using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

public class SamplerTests
{
    private static readonly LstmWeights Weights = new(RandomCheckpoints.Create("abcdefgh ijklmnop\nЖж😀", hidden: 32, layers: 2, seed: 9));

    private static string Draw(SampleOptions options) => string.Concat(new Sampler(Weights).Generate(options));

    [Fact]
    public void The_same_seed_gives_the_same_sample_twice()
    {
        var options = new SampleOptions("ab", 300, Temperature: 1.0, TopK: null, Seed: 1234);
        Assert.Equal(Draw(options), Draw(options));
    }

    [Fact]
    public void Another_seed_gives_another_sample()
    {
        Assert.NotEqual(Draw(new SampleOptions("ab", 300, Seed: 1)), Draw(new SampleOptions("ab", 300, Seed: 2)));
    }

    [Fact]
    public void It_draws_exactly_length_characters_counting_an_emoji_as_one()
    {
        var drawn = new Sampler(Weights).Generate(new SampleOptions("Жж😀", 500, Seed: 5)).ToList();
        Assert.Equal(500, drawn.Count);
        Assert.All(drawn, c => Assert.Single(c.EnumerateRunes()));
    }

    [Fact]
    public void Top_k_of_one_is_greedy_and_ignores_the_seed()
    {
        var greedy = Draw(new SampleOptions("a", 100, TopK: 1, Seed: 1));
        Assert.Equal(greedy, Draw(new SampleOptions("a", 100, TopK: 1, Seed: 99)));

        var engine = new LstmEngine(Weights);
        var token = Weights.Vocabulary.Encode("a")[0];
        var expected = new System.Text.StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            var logits = engine.Step(token);
            token = logits.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(logits));
            expected.Append(Weights.Vocabulary[token]);
        }
        Assert.Equal(expected.ToString(), greedy);
    }

    [Fact]
    public void Top_k_draws_only_from_the_k_likeliest_characters()
    {
        // Feed a fixed context, then draw many single characters after it: all must be among the top 3 logits.
        var engine = new LstmEngine(Weights);
        var context = Weights.Vocabulary.Encode("abc");
        float[] logits = [];
        foreach (var t in context) logits = engine.Step(t).ToArray();
        var top3 = logits.Select((l, i) => (l, i)).OrderByDescending(p => p.l).Take(3).Select(p => Weights.Vocabulary[p.i]).ToHashSet();

        var seen = new HashSet<string>();
        for (var seed = 0; seed < 200; seed++)
            seen.Add(Draw(new SampleOptions("abc", 1, Temperature: 5, TopK: 3, Seed: seed)));
        Assert.Subset(top3, seen);
        Assert.True(seen.Count > 1, "a high temperature should reach more than one of the top 3");
    }

    [Fact]
    public void A_prime_with_unknown_characters_is_refused_naming_them()
    {
        var error = Assert.Throws<UnknownCharactersException>(() => new Sampler(Weights).Generate(new SampleOptions("abQZq", 10)));
        Assert.Equal(["Q", "Z", "q"], error.Characters);
        Assert.Contains("'Q', 'Z', 'q'", error.Message);
    }

    [Theory]
    [InlineData(0, 1.0, null, "Length must be between 1 and 100,000")]
    [InlineData(100_001, 1.0, null, "Length must be between 1 and 100,000")]
    [InlineData(10, 0.0, null, "Temperature must be between 0.01 and 10")]
    [InlineData(10, 11.0, null, "Temperature must be between 0.01 and 10")]
    [InlineData(10, 1.0, 0, "Top-k must be at least 1")]
    public void Out_of_range_options_are_refused_with_the_limits(int length, double temperature, int? topK, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new Sampler(Weights).Generate(new SampleOptions("a", length, temperature, topK)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_empty_prime_starts_from_a_drawn_character()
    {
        var drawn = Draw(new SampleOptions("", 50, Seed: 3));
        Assert.Equal(50, drawn.EnumerateRunes().Count());
        Assert.Equal(drawn, Draw(new SampleOptions("", 50, Seed: 3)));
    }

    [Fact]
    public void Characters_are_yielded_one_at_a_time_as_they_are_drawn()
    {
        using var enumerator = new Sampler(Weights).Generate(new SampleOptions("a", 1_000_000 / 10, Seed: 1)).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Single(enumerator.Current.EnumerateRunes());
    }

    [Fact]
    public void A_seed_is_filled_in_when_none_is_given()
    {
        var options = new SampleOptions("a", 5).WithSeed();
        Assert.NotNull(options.Seed);
        Assert.Equal(Draw(options), Draw(options));
    }
}
