using CharRnn.Contracts;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

/// <summary>Top-p and stop sequences: the distribution a character is drawn from, and where and why a passage ends.</summary>
public class SteeredSamplingTests
{
    /// <summary>
    /// A planted model whose next-character probabilities never change: its output layer reads nothing from the state,
    /// and its bias gives a 0.5, b 0.25, c 0.15, d 0.10.
    /// </summary>
    private static readonly LstmWeights Fixed = FixedDistribution(("a", 0.5), ("b", 0.25), ("c", 0.15), ("d", 0.10));

    private static LstmWeights FixedDistribution(params (string Character, double Probability)[] characters)
    {
        var vocabulary = Vocabulary.FromText(string.Concat(characters.Select(c => c.Character)));
        var config = new ModelConfig(Hidden: 2, Layers: 1, Dropout: 0, vocabulary.Count);
        var tensors = Checkpoint.ParameterNames(1).ToDictionary(name => name, name =>
            new TensorData(Checkpoint.ExpectedShape(name, config), new float[TensorData.ElementCount(Checkpoint.ExpectedShape(name, config))]));
        foreach (var (character, probability) in characters)
        {
            vocabulary.TryGetId(new System.Text.Rune(character[0]), out var id);
            tensors["fc.bias"].Values[id] = (float)Math.Log(probability);
        }
        return new LstmWeights(new Checkpoint(config, vocabulary, tensors, null, DateTimeOffset.Parse("2026-12-08T00:00:00Z")));
    }

    private static double[] DistributionAfter(SampleOptions options)
    {
        var draw = new SampleDraw(Fixed.Vocabulary, options.WithSeed());
        var logits = new LstmEngine(Fixed).Step(draw.NextToken);
        return draw.Distribution(logits);
    }

    public static TheoryData<double, int?, double?, double[]> HandComputed => new()
    {
        // Every character: the model's own probabilities.
        { 1.0, null, null, [0.5, 0.25, 0.15, 0.10] },
        // p = 0.7: a (0.5) is not enough, a + b (0.75) is: the two, renormalised.
        { 1.0, null, 0.7, [2 / 3.0, 1 / 3.0, 0, 0] },
        // Top-k 3 first (0.5, 0.25, 0.15 over 0.9), then p = 0.8: 0.556 + 0.278 = 0.833 reaches it.
        { 1.0, 3, 0.8, [0.5 / 0.75, 0.25 / 0.75, 0, 0] },
        // Temperature 2 first: probabilities ∝ √p (0.370, 0.262, 0.203, 0.166), then p = 0.6 keeps a and b.
        { 2.0, null, 0.6, [Math.Sqrt(0.5) / (Math.Sqrt(0.5) + Math.Sqrt(0.25)), Math.Sqrt(0.25) / (Math.Sqrt(0.5) + Math.Sqrt(0.25)), 0, 0] },
        // A small p keeps the likeliest character alone: greedy.
        { 1.0, null, 0.01, [1, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void Top_p_draws_from_the_hand_computed_nucleus(double temperature, int? topK, double? topP, double[] expected)
    {
        var actual = DistributionAfter(new SampleOptions("a", 10, temperature, topK, Seed: 1, TopP: topP));

        var ids = "abcd".Select(c => { Fixed.Vocabulary.TryGetId(new System.Text.Rune(c), out var id); return id; }).ToArray();
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], actual[ids[i]], 1e-6);
    }

    [Fact]
    public void Drawn_characters_follow_the_nucleus_and_never_leave_it()
    {
        var text = string.Concat(new Sampler(Fixed).Generate(new SampleOptions("a", 30_000, Seed: 7, TopP: 0.7)));

        Assert.DoesNotContain('c', text);
        Assert.DoesNotContain('d', text);
        // 30,000 draws: the share's standard deviation is 0.003.
        Assert.InRange(text.Count(c => c == 'a') / 30_000.0, 2 / 3.0 - 0.015, 2 / 3.0 + 0.015);
    }

    private static readonly LstmWeights Random = new(RandomCheckpoints.Create("abcdefgh ijklmnop\nЖж😀", hidden: 32, layers: 2, seed: 9));

    [Fact]
    public void A_passage_ends_exactly_at_its_first_stop_and_says_so()
    {
        var free = new SampleOptions("ab", 2000, Seed: 3);
        var sampler = new Sampler(new LstmWeights(RandomCheckpoints.Create("abcdefgh ijklmnop\n", hidden: 32, layers: 2, seed: 9)));
        var whole = string.Concat(sampler.Generate(free));
        Assert.Equal(SampleEnding.Length, sampler.EndedBy);
        // Two stops that the free passage draws, the later one first in the list: the earlier in the text wins.
        var stops = new[] { whole.Substring(1500, 3), whole.Substring(100, 2) };
        var end = Math.Min(whole.IndexOf(stops[0], StringComparison.Ordinal) + 3, whole.IndexOf(stops[1], StringComparison.Ordinal) + 2);

        var stopped = string.Concat(sampler.Generate(free with { Stop = stops }));

        Assert.Equal(whole[..end], stopped); // the same draws up to the stop, the stop kept, nothing after it
        Assert.Equal(SampleEnding.Stop, sampler.EndedBy);
    }

    [Fact]
    public void A_stop_the_passage_never_draws_leaves_it_at_its_length()
    {
        var sampler = new Sampler(Random);
        var drawn = sampler.Generate(new SampleOptions("ab", 300, Seed: 3, Stop: ["THE END"])).ToList();

        Assert.Equal(300, drawn.Count);
        Assert.Equal(SampleEnding.Length, sampler.EndedBy);
    }

    [Fact]
    public void A_stop_counts_from_the_first_drawn_character_not_the_prime()
    {
        // The prime ends with the stop: that does not end the passage before it begins.
        var sampler = new Sampler(Random);
        var drawn = string.Concat(sampler.Generate(new SampleOptions("ab\n", 50, Seed: 3, Stop: ["\n"])));

        Assert.NotEmpty(drawn);
        var newline = drawn.IndexOf('\n');
        Assert.True(newline == -1 || newline == drawn.Length - 1, "a newline only at the end");
    }

    [Fact]
    public void The_batch_ends_each_passage_where_the_sampler_alone_does()
    {
        var options = Enumerable.Range(0, 4).Select(i => new SampleOptions("ab", 400, Seed: i, TopP: 0.9, Stop: ["a "])).ToList();
        var alone = options.Select(o =>
        {
            var sampler = new Sampler(Random);
            return (Text: string.Concat(sampler.Generate(o)), sampler.EndedBy);
        }).ToList();

        var batch = new DrawBatch(Random, capacity: 4);
        var draws = options.Select(o => new SampleDraw(Random.Vocabulary, o)).ToList();
        var texts = draws.ToDictionary(d => d, _ => new System.Text.StringBuilder());
        foreach (var draw in draws) batch.TryAdd(draw);
        while (batch.Count > 0) batch.Step((draw, text) => texts[draw].Append(text));

        Assert.Equal(alone.Select(a => a.Text), draws.Select(d => texts[d].ToString()));
        Assert.Equal(alone.Select(a => a.EndedBy), draws.Select(d => d.EndedBy));
        Assert.Contains(SampleEnding.Stop, alone.Select(a => a.EndedBy)); // the stop was met by at least one
    }

    public static TheoryData<SampleOptions, string> BadOptions => new()
    {
        { new SampleOptions("a", 10, TopP: 0), "Top-p must be above 0 and at most 1" },
        { new SampleOptions("a", 10, TopP: 1.5), "Top-p must be above 0 and at most 1" },
        { new SampleOptions("a", 10, TopP: double.NaN), "Top-p must be above 0 and at most 1" },
        { new SampleOptions("a", 10, Stop: ["1", "2", "3", "4", "5"]), "At most 4 stop sequences" },
        { new SampleOptions("a", 10, Stop: [new string('x', 65)]), "at most 64 characters; one was 65" },
        { new SampleOptions("a", 10, Stop: [""]), "cannot be empty" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_top_p_or_stops_are_refused_with_the_reason(SampleOptions options, string reason)
    {
        var refusal = Assert.Throws<ArgumentException>(() => new Sampler(Fixed).Generate(options));
        Assert.Contains(reason, refusal.Message);
    }
}
