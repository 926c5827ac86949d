using System.Text;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

namespace CharRnn.Inference.Tests;

/// <summary>Passages stepped together give exactly the text each gives alone, however they come and go.</summary>
public class LstmBatchTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz ,.;:!?'\nABCDEFGHIJ";

    private static string Alone(LstmWeights weights, SampleOptions options) => string.Concat(new Sampler(weights).Generate(options));

    /// <summary>Draws every passage through one batch, each joining at its step and leaving when drawn.</summary>
    private static Dictionary<int, string> Together(LstmWeights weights, int capacity, params (SampleOptions Options, int JoinAt)[] passages)
    {
        var batch = new DrawBatch(weights, capacity);
        var texts = new Dictionary<SampleDraw, StringBuilder>();
        var index = new Dictionary<SampleDraw, int>();
        var waiting = passages.Select((p, i) => (p.Options, p.JoinAt, i)).ToList();
        for (var step = 0; waiting.Count > 0 || batch.Count > 0; step++)
        {
            foreach (var p in waiting.Where(p => p.JoinAt <= step).ToList())
            {
                var draw = new SampleDraw(weights.Vocabulary, p.Options);
                if (!batch.TryAdd(draw)) continue; // full: try again next step
                texts[draw] = new StringBuilder(draw.First);
                index[draw] = p.i;
                waiting.Remove(p);
            }
            batch.Step((draw, text) => texts[draw].Append(text));
            Assert.InRange(batch.Count, 0, capacity);
        }
        return texts.ToDictionary(t => index[t.Key], t => t.Value.ToString());
    }

    [Theory]
    [InlineData(40, 2, WeightPrecision.Float32)] // 40 and 80 columns: the tail past the last 16 is used
    [InlineData(64, 3, WeightPrecision.Float32)]
    [InlineData(64, 2, WeightPrecision.BFloat16)]
    public void Eight_passages_stepped_together_each_give_their_text_alone(int hidden, int layers, WeightPrecision precision)
    {
        var weights = new LstmWeights(RandomCheckpoints.Create(Alphabet, hidden, layers), precision);
        var options = Enumerable.Range(0, 8).Select(i => new SampleOptions(i % 3 == 0 ? "" : "the ", 120 + 7 * i, 0.8 + 0.1 * i, i % 2 == 0 ? 5 : null, Seed: 100 + i)).ToArray();

        var together = Together(weights, 8, options.Select(o => (o, 0)).ToArray());

        for (var i = 0; i < options.Length; i++)
            Assert.Equal(Alone(weights, options[i]), together[i]);
        Assert.Equal(8, together.Values.Distinct().Count());
    }

    [Fact]
    public void Passages_join_and_leave_mid_way_and_reuse_freed_slots_without_changing_any_text()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create(Alphabet, 48, 2));
        // Six passages through three slots: later ones wait for a slot, join at different steps, with primes of
        // different lengths (so some prime while others draw), and finish at different lengths.
        (SampleOptions, int)[] passages =
        [
            (new SampleOptions("abc", 50, Seed: 1), 0),
            (new SampleOptions("", 10, Seed: 2), 3),
            (new SampleOptions("a longer prime, still priming", 80, TopK: 3, Seed: 3), 5),
            (new SampleOptions("x", 1, Seed: 4), 6),
            (new SampleOptions("", 1, Seed: 5), 7),
            (new SampleOptions("the ", 40, 1.3, Seed: 6), 20),
        ];

        var together = Together(weights, 3, passages);

        for (var i = 0; i < passages.Length; i++)
            Assert.Equal(Alone(weights, passages[i].Item1), together[i]);
    }

    [Fact]
    public void A_removed_passage_frees_its_slot_and_the_others_go_on_unchanged()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create(Alphabet, 32, 2));
        var kept = new SampleOptions("ab", 60, Seed: 7);
        var batch = new DrawBatch(weights, 2);
        var keptDraw = new SampleDraw(weights.Vocabulary, kept);
        var leaving = new SampleDraw(weights.Vocabulary, new SampleOptions("cd", 60, Seed: 8));
        var text = new StringBuilder();
        Assert.True(batch.TryAdd(keptDraw));
        Assert.True(batch.TryAdd(leaving));
        Assert.False(batch.TryAdd(new SampleDraw(weights.Vocabulary, kept)));

        for (var step = 0; step < 10; step++) batch.Step((d, t) => { if (d == keptDraw) text.Append(t); });
        batch.Remove(leaving);
        var newcomer = new SampleDraw(weights.Vocabulary, new SampleOptions("e", 5, Seed: 9));
        Assert.True(batch.TryAdd(newcomer));
        while (!keptDraw.Finished) batch.Step((d, t) => { if (d == keptDraw) text.Append(t); });

        Assert.Equal(Alone(weights, kept), text.ToString());
        Assert.True(newcomer.Finished);
    }

    [Fact]
    public void Logits_of_a_batch_have_the_bits_of_the_engine_alone()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create(Alphabet, 100, 2));
        var batch = new LstmBatch(weights, 5);
        var engines = Enumerable.Range(0, 5).Select(_ => new LstmEngine(weights)).ToArray();
        var slots = Enumerable.Range(0, 5).Select(_ => batch.Join()).ToArray();
        var random = new Random(3);
        for (var step = 0; step < 30; step++)
        {
            var tokens = slots.Select(_ => random.Next(weights.Config.VocabSize)).ToArray();
            batch.Step(slots, tokens);
            for (var i = 0; i < slots.Length; i++)
                Assert.Equal(engines[i].Step(tokens[i]).ToArray(), batch.Logits(i).ToArray());
        }
    }
}
