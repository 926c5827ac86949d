using CharRnn.Contracts;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using Xunit.Abstractions;

namespace CharRnn.Inference.Tests;

/// <summary>Beam search: greedy at width 1, at least greedy's probability when wider, its score true, and its stops.</summary>
public class BeamSearchTests(ITestOutputHelper output)
{
    private static readonly LstmWeights Weights = new(RandomCheckpoints.Create("abcdefgh ijklmnop\nЖж😀", hidden: 32, layers: 2, seed: 9));

    private static (string Text, Sampler Sampler) Run(SampleOptions options)
    {
        var sampler = new Sampler(Weights);
        return (string.Concat(sampler.Generate(options)), sampler);
    }

    /// <summary>The natural-log probability of <paramref name="text"/> after <paramref name="prime"/>, stepped here one character at a time.</summary>
    private static double LogProbability(string prime, string text, double temperature)
    {
        var engine = new LstmEngine(Weights);
        var tokens = Weights.Vocabulary.Encode(prime + text);
        var primed = Weights.Vocabulary.Encode(prime).Length;
        double total = 0;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            var logits = engine.Step(tokens[i]);
            if (i + 1 < primed) continue;
            var max = logits.ToArray().Max();
            var sum = logits.ToArray().Sum(l => Math.Exp((l - max) / temperature));
            total += (logits[tokens[i + 1]] - max) / temperature - Math.Log(sum);
        }
        return total;
    }

    [Theory]
    [InlineData("ab", 1.0)]
    [InlineData("Жж😀 ", 0.7)]
    [InlineData("", 1.3)]
    public void Width_one_is_greedy_decoding(string prime, double temperature)
    {
        var (greedy, _) = Run(new SampleOptions(prime, 200, temperature, TopK: 1, Seed: 4));
        var (beam, sampler) = Run(new SampleOptions(prime, 200, temperature, Seed: 4, Beam: 1));

        Assert.Equal(greedy, beam);
        Assert.Equal(SampleEnding.Length, sampler.EndedBy);
    }

    [Theory]
    [InlineData("ab", 1.0)]
    [InlineData("hij ", 0.5)]
    [InlineData("Жж😀 ", 1.5)]
    public void Wider_beams_find_continuations_at_least_as_likely_as_greedys_and_report_their_true_score(string prime, double temperature)
    {
        var scores = new List<double>();
        foreach (var width in new[] { 1, 2, 4, 8 })
        {
            var (text, sampler) = Run(new SampleOptions(prime, 120, temperature, Seed: 1, Beam: width));
            var (logProbability, bits) = sampler.BeamScore!.Value;
            output.WriteLine($"width {width}: log p {logProbability:F4}, {bits:F4} bits/char: {text.ReplaceLineEndings("⏎")[..40]}…");
            Assert.Equal(120, text.EnumerateRunes().Count());
            Assert.Equal(LogProbability(prime, text, temperature), logProbability, 1e-6); // the score is the text's own
            Assert.Equal(-logProbability / 120 / Math.Log(2), bits, 1e-9);
            scores.Add(logProbability);
        }
        Assert.All(scores.Skip(1), score => Assert.True(score >= scores[0] - 1e-9, $"{score:F4} is below greedy's {scores[0]:F4}"));
    }

    /// <summary>
    /// After x, a is the likeliest character (0.45) but leads nowhere (every character 0.25 after it), while b (0.40) leads
    /// to y, and y to y, at 0.97 each: greedy takes a, a beam of two keeps b and finds x b y y y….
    /// </summary>
    [Fact]
    public void A_beam_of_two_finds_the_likelier_path_that_greedy_passes_by()
    {
        var model = BigramModel.Create("abxy", (last, next) => (last, next) switch
        {
            ('x', 'a') => 0.45, ('x', 'b') => 0.40, ('x', 'x') => 0.10, ('x', _) => 0.05,
            ('a', _) => 0.25,
            (_, 'y') => 0.97, _ => 0.01,
        });
        string Search(int width, out double logProbability)
        {
            var sampler = new Sampler(model);
            var text = string.Concat(sampler.Generate(new SampleOptions("x", 6, Seed: 1, Beam: width)));
            logProbability = sampler.BeamScore!.Value.LogProbability;
            return text;
        }

        var greedy = Search(1, out var greedyLog);
        var beam = Search(2, out var beamLog);

        output.WriteLine($"greedy {greedy} {greedyLog:F3}, beam {beam} {beamLog:F3}");
        Assert.StartsWith("a", greedy);
        Assert.Equal("byyyyy", beam);
        Assert.Equal(Math.Log(0.40) + 5 * Math.Log(0.97), beamLog, 1e-3);
        Assert.True(beamLog > greedyLog + 3, "far likelier than greedy's");
    }

    [Fact]
    public void A_beam_ends_at_a_stop_and_hands_out_each_character_once_as_it_settles()
    {
        var (free, _) = Run(new SampleOptions("ab", 300, 1.0, Seed: 1, Beam: 4));
        var stop = free.Substring(100, 2);

        var sampler = new Sampler(Weights);
        var pieces = sampler.Generate(new SampleOptions("ab", 300, 1.0, Seed: 1, Beam: 4, Stop: [stop])).ToList();
        var text = string.Concat(pieces);

        Assert.Equal(SampleEnding.Stop, sampler.EndedBy);
        Assert.EndsWith(stop, text);
        Assert.All(pieces, p => Assert.Single(p.EnumerateRunes()));
    }

    [Fact]
    public void A_saved_state_loaded_later_continues_as_if_nothing_had_happened_between()
    {
        var engine = new LstmEngine(Weights);
        foreach (var t in Weights.Vocabulary.Encode("abc")) engine.Step(t);
        var saved = new float[((ICharModel)engine).StateSize];
        engine.SaveState(saved);
        var expected = engine.Step(4).ToArray();
        foreach (var t in Weights.Vocabulary.Encode("hello")) engine.Step(t);

        engine.LoadState(saved);

        Assert.Equal(expected, engine.Step(4).ToArray());
    }

    public static TheoryData<SampleOptions, string> Bad => new()
    {
        { new SampleOptions("a", 10, Beam: 0), "Beam width must be between 1 and 8; it was 0" },
        { new SampleOptions("a", 10, Beam: 9), "Beam width must be between 1 and 8; it was 9" },
        { new SampleOptions("a", 10, TopK: 5, Beam: 2), "does not combine with top-k or top-p" },
        { new SampleOptions("a", 10, TopP: 0.9, Beam: 2), "does not combine with top-k or top-p" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_beams_are_refused_with_the_reason(SampleOptions options, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => new Sampler(Weights).Generate(options)).Message);
}
