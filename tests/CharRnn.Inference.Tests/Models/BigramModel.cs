using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

/// <summary>
/// A planted LSTM whose next-character probabilities depend on the last character only, as a table gives them: one
/// unit per character remembers whether it was the last one (its cell forgets everything and writes ±1 at each step),
/// and the output layer turns that into log P(next | last). Small enough to reason about a search on it by hand.
/// </summary>
internal static class BigramModel
{
    public static LstmWeights Create(string alphabet, Func<char, char, double> probability)
    {
        var vocabulary = Vocabulary.FromText(alphabet);
        var v = vocabulary.Count;
        var config = new ModelConfig(Hidden: v, Layers: 1, Dropout: 0, v);
        var tensors = Checkpoint.ParameterNames(1).ToDictionary(name => name, name =>
            new TensorData(Checkpoint.ExpectedShape(name, config), new float[TensorData.ElementCount(Checkpoint.ExpectedShape(name, config))]));
        var (inputs, bias) = (tensors["lstm.weight_ih_l0"].Values, tensors["lstm.bias_ih_l0"].Values);
        const int I = 0, F = 1, G = 2, O = 3;
        for (var unit = 0; unit < v; unit++)
        {
            (bias[I * v + unit], bias[F * v + unit], bias[O * v + unit]) = (30, -30, 30); // write, forget, show: all the way
            for (var token = 0; token < v; token++) inputs[(G * v + unit) * v + token] = token == unit ? 30 : -30;
        }
        // Unit u's output is +s after character u and −s otherwise, s = tanh(1): logit n = Σ_u W[n,u]·h_u + b_n.
        var s = (float)Math.Tanh(1);
        var (output, outputBias) = (tensors["fc.weight"].Values, tensors["fc.bias"].Values);
        for (var next = 0; next < v; next++)
            for (var last = 0; last < v; last++)
            {
                var weight = (float)(Math.Log(probability(Character(vocabulary, last), Character(vocabulary, next))) / (2 * s));
                output[next * v + last] = weight;
                outputBias[next] += weight * s;
            }
        return new LstmWeights(new Checkpoint(config, vocabulary, tensors, null, DateTimeOffset.Parse("2026-12-08T00:00:00Z")));
    }

    private static char Character(Vocabulary vocabulary, int id) => vocabulary[id][0];
}
