using System.Text;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

/// <summary>
/// An LSTM built by hand whose units are known, to hold the Inside views to the truth. Layer 0, unit 0 counts the
/// characters since the last newline (its cell grows by tanh(0.1) a character, and a newline makes it forget); unit 1
/// flips at each double quote (a quote writes 1 into its cell when its output is low and forgets when it is high); units
/// 2 and 3 carry faint noise. Layer 1 is all zeros, so its units never change. Gate order i, f, g, o, as PyTorch's.
/// </summary>
internal static class PlantedModel
{
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,\"\n";
    public const int Hidden = 4, Layers = 2, LineUnit = 0, QuoteUnit = 1;

    public static Checkpoint Create()
    {
        var vocabulary = Vocabulary.FromText(Alphabet);
        var (h, v) = (Hidden, vocabulary.Count);
        var config = new ModelConfig(h, Layers, 0, v);
        var tensors = Checkpoint.ParameterNames(Layers).ToDictionary(name => name, name => new TensorData(Checkpoint.ExpectedShape(name, config), new float[TensorData.ElementCount(Checkpoint.ExpectedShape(name, config))]));
        var inputs = tensors["lstm.weight_ih_l0"].Values;   // [4H × vocab]
        var recurrent = tensors["lstm.weight_hh_l0"].Values; // [4H × H]
        var bias = tensors["lstm.bias_ih_l0"].Values;
        int Row(int gate, int unit) => gate * h + unit;
        const int I = 0, F = 1, G = 2, O = 3;
        vocabulary.TryGetId(new Rune('\n'), out var newline);
        vocabulary.TryGetId(new Rune('"'), out var quote);

        // Unit 0: keep (f), always write (i) a little (g), show (o); a newline forgets and writes nothing.
        (bias[Row(I, 0)], bias[Row(F, 0)], bias[Row(G, 0)], bias[Row(O, 0)]) = (10, 10, 0.1f, 10);
        inputs[Row(F, 0) * v + newline] = -30;
        inputs[Row(G, 0) * v + newline] = -0.1f;

        // Unit 1: a quote forgets (f) and writes 1 (g), but only where its own output is low (i, held down by h₁).
        (bias[Row(I, 1)], bias[Row(F, 1)], bias[Row(G, 1)], bias[Row(O, 1)]) = (-10, 10, 0, 10);
        inputs[Row(I, 1) * v + quote] = 20;
        inputs[Row(F, 1) * v + quote] = -30;
        inputs[Row(G, 1) * v + quote] = 20;
        recurrent[Row(I, 1) * h + 1] = -30;

        // Units 2 and 3: faint noise from the characters and each other, nothing from units 0 and 1.
        var random = new SeededRandom(3);
        float Faint() => (float)((random.NextDouble() * 2 - 1) * 0.05);
        foreach (var unit in new[] { 2, 3 })
            for (var gate = 0; gate < 4; gate++)
            {
                for (var token = 0; token < v; token++) inputs[Row(gate, unit) * v + token] = Faint();
                recurrent[Row(gate, unit) * h + 2] = Faint();
                recurrent[Row(gate, unit) * h + 3] = Faint();
            }
        var output = tensors["fc.weight"].Values;
        for (var i = 0; i < output.Length; i++) output[i] = Faint();
        return new Checkpoint(config, vocabulary, tensors, null, DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
    }

    /// <summary>Lines of 20 to 70 characters, about a third of them with a quoted stretch.</summary>
    public static string Text(int characters, int seed = 1)
    {
        string[] words = ["the", "horse", "said", "Anna", "went", "home", "and", "it", "was", "late", "so", "they", "talked", "of", "Levin"];
        var random = new SeededRandom(seed);
        int Next(int below) => (int)(random.NextDouble() * below);
        var text = new StringBuilder();
        while (text.Length < characters)
        {
            var line = new StringBuilder();
            var target = 20 + Next(51);
            var quoteAt = Next(3) == 0 ? 1 + Next(3) : -1;
            for (var word = 0; line.Length < target; word++)
            {
                if (word == quoteAt) line.Append('"');
                line.Append(words[Next(words.Length)]);
                if (quoteAt >= 0 && word == quoteAt + 2) line.Append(",\"");
                line.Append(' ');
            }
            if (quoteAt >= 0 && line.ToString().Count(c => c == '"') == 1) line.Append('"'); // close a quote the line cut short
            text.Append(line.ToString().TrimEnd()).Append(".\n");
        }
        return text.ToString();
    }
}
