using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Checkpoints;
using CharRnn.Training.Model;
using static TorchSharp.torch;

namespace CharRnn.Training.Tests.Checkpoints;

/// <summary>
/// A checkpoint's alphabet grown for another book, read with the inference engine: nothing old moves, the new characters
/// start at their frequency, and a chain of fine-tunes keeps every index.
/// </summary>
public class GrownAlphabetTests
{
    /// <summary>A random 2×8 model over <paramref name="tokens"/>, in that order.</summary>
    private static Checkpoint RandomCheckpoint(IEnumerable<string> tokens, bool biasOnly = false)
    {
        manual_seed(5);
        var vocabulary = new Vocabulary(tokens);
        using var model = new CharRnnModel(vocabulary.Count, 8, 2, 0);
        var tensors = ModelWeights.Export(model);
        if (biasOnly) tensors["fc.weight"] = tensors["fc.weight"] with { Values = new float[tensors["fc.weight"].Values.Length] };
        return new Checkpoint(new ModelConfig(8, 2, 0, vocabulary.Count), vocabulary, tensors, null, DateTimeOffset.UnixEpoch);
    }

    private static readonly string[] Old = ["t", "h", "e", " ", "q", "u", "i", "c", "k"];

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var peak = double.NegativeInfinity;
        foreach (var x in logits) peak = Math.Max(peak, x);
        var e = new double[logits.Length];
        for (var i = 0; i < e.Length; i++) e[i] = Math.Exp(logits[i] - peak);
        var sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }

    [Fact]
    public void The_tokens_are_the_checkpoints_in_their_order_then_the_books_new_characters_by_code_point_and_none_is_dropped()
    {
        var grown = GrownAlphabet.For(RandomCheckpoint(Old), "zebra the kite!");

        Assert.Equal([.. Old, "!", "a", "b", "r", "z"], grown.Vocabulary.Tokens);
        Assert.Equal((8, 2, 14), (grown.Config.Hidden, grown.Config.Layers, grown.Config.VocabSize)); // "q" stays, though the book lacks it
        Assert.Equal([32, 14], grown.Tensors["lstm.weight_ih_l0"].Shape);
        Assert.Equal([14, 8], grown.Tensors["fc.weight"].Shape);
    }

    [Fact]
    public void A_book_with_no_new_character_leaves_the_checkpoint_as_it_is()
    {
        var source = RandomCheckpoint(Old);
        Assert.Same(source, GrownAlphabet.For(source, "the quick"));
    }

    [Fact]
    public void At_step_0_old_text_gives_the_old_states_and_the_old_probabilities_scaled_by_the_new_characters_mass()
    {
        var source = RandomCheckpoint(Old);
        var grown = GrownAlphabet.For(source, "zebra the kite!");
        var (before, after) = (new LstmEngine(new LstmWeights(source)), new LstmEngine(new LstmWeights(grown)));

        foreach (var token in source.Vocabulary.Encode("the quick tick"))
        {
            var (oldLogits, newLogits) = (before.Step(token).ToArray(), after.Step(token).ToArray());
            for (var layer = 0; layer < 2; layer++) Assert.Equal(before.LayerState(layer).ToArray(), after.LayerState(layer).ToArray());
            Assert.Equal(oldLogits, newLogits[..Old.Length]); // the same bits: the old rows and the old states
            var (p, q) = (Softmax(oldLogits), Softmax(newLogits));
            var kept = 1 - q[Old.Length..].Sum();
            Assert.InRange(kept, 0.5, 1);
            for (var i = 0; i < Old.Length; i++) Assert.Equal(p[i] * kept, q[i], 12);
        }
    }

    [Fact]
    public void A_new_character_starts_at_its_frequency_in_the_new_book_where_the_logits_are_the_biases()
    {
        const string book = "the quick tick! the quick zebra!"; // "!" 2, "a" 1, "b" 1, "r" 1, "z" 1 of 32 characters
        var grown = GrownAlphabet.For(RandomCheckpoint(Old, biasOnly: true), book);
        var engine = new LstmEngine(new LstmWeights(grown));

        var q = Softmax(engine.Step(0));

        var ids = grown.Vocabulary.Tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        Assert.Equal(2.0 / 32, q[ids["!"]], 6);
        Assert.Equal(1.0 / 32, q[ids["z"]], 6);
    }

    [Fact]
    public void A_chained_fine_tune_keeps_every_index_and_every_old_weight()
    {
        var a = RandomCheckpoint(["a", "b"]);
        var b = GrownAlphabet.For(a, "abc");
        var c = GrownAlphabet.For(b, "cd!");

        Assert.Equal(["a", "b", "c", "!", "d"], c.Vocabulary.Tokens);
        Assert.Equal(a.Tensors["fc.weight"].Values, c.Tensors["fc.weight"].Values[..a.Tensors["fc.weight"].Values.Length]);
        Assert.Equal(a.Tensors["fc.bias"].Values, c.Tensors["fc.bias"].Values[..2]);
        Assert.Equal(b.Tensors["fc.bias"].Values, c.Tensors["fc.bias"].Values[..3]);
        for (var row = 0; row < 32; row++) // each gate row of the input layer: the old columns, then zeros
            Assert.Equal([.. a.Tensors["lstm.weight_ih_l0"].Values.Skip(row * 2).Take(2), 0, 0, 0], c.Tensors["lstm.weight_ih_l0"].Values.Skip(row * 5).Take(5));
        Assert.Equal(a.Tensors["lstm.weight_hh_l1"], c.Tensors["lstm.weight_hh_l1"]);
    }

    [Fact]
    public void A_grown_checkpoint_goes_to_the_notebooks_format_and_back_with_its_longer_token_list()
    {
        var grown = GrownAlphabet.For(RandomCheckpoint(Old), "zebra the kite!");
        using var file = new MemoryStream();
        NotebookCheckpoint.Write(file, grown);
        file.Position = 0;

        var read = NotebookCheckpoint.Read(file);

        Assert.Equal(grown.Vocabulary.Tokens, read.Vocabulary.Tokens);
        Assert.Equal(grown.Config with { Dropout = read.Config.Dropout }, read.Config);
        foreach (var (name, tensor) in grown.Tensors)
        {
            Assert.Equal(tensor.Shape, read.Tensors[name].Shape);
            Assert.Equal(tensor.Values, read.Tensors[name].Values);
        }
    }
}
