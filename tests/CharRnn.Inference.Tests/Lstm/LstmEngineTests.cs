using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;

namespace CharRnn.Inference.Tests;

public class LstmEngineTests
{
    /// <summary>A direct, unoptimised LSTM step in double precision, written from PyTorch's equations.</summary>
    private static double[] ReferenceLogits(Checkpoint checkpoint, int[] tokens)
    {
        var (h, layers, v) = (checkpoint.Config.Hidden, checkpoint.Config.Layers, checkpoint.Config.VocabSize);
        var hs = new double[layers][];
        var cs = new double[layers][];
        for (var k = 0; k < layers; k++) { hs[k] = new double[h]; cs[k] = new double[h]; }
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        foreach (var token in tokens)
        {
            var input = new double[v];
            input[token] = 1;
            for (var k = 0; k < layers; k++)
            {
                var wih = checkpoint.Tensors[$"lstm.weight_ih_l{k}"].Values;
                var whh = checkpoint.Tensors[$"lstm.weight_hh_l{k}"].Values;
                var bih = checkpoint.Tensors[$"lstm.bias_ih_l{k}"].Values;
                var bhh = checkpoint.Tensors[$"lstm.bias_hh_l{k}"].Values;
                var gates = new double[4 * h];
                for (var g = 0; g < 4 * h; g++)
                {
                    double sum = bih[g] + bhh[g];
                    for (var j = 0; j < input.Length; j++) sum += wih[g * input.Length + j] * input[j];
                    for (var j = 0; j < h; j++) sum += whh[g * h + j] * hs[k][j];
                    gates[g] = sum;
                }
                for (var j = 0; j < h; j++)
                {
                    double i = Sigmoid(gates[j]), f = Sigmoid(gates[h + j]), gg = Math.Tanh(gates[2 * h + j]), o = Sigmoid(gates[3 * h + j]);
                    cs[k][j] = f * cs[k][j] + i * gg;
                    hs[k][j] = o * Math.Tanh(cs[k][j]);
                }
                input = hs[k];
            }
        }
        var fw = checkpoint.Tensors["fc.weight"].Values;
        var fb = checkpoint.Tensors["fc.bias"].Values;
        return Enumerable.Range(0, v).Select(r => fb[r] + Enumerable.Range(0, h).Sum(j => fw[r * h + j] * hs[^1][j])).ToArray();
    }

    [Theory]
    [InlineData(MatVecKernel.TensorPrimitives, 3)]
    [InlineData(MatVecKernel.Portable, 3)]
    [InlineData(MatVecKernel.Vector256, 3)]
    [InlineData(MatVecKernel.TensorPrimitives, 1)]
    [InlineData(MatVecKernel.Portable, 1)]
    [InlineData(MatVecKernel.Vector256, 1)]
    public void Logits_match_a_double_precision_reference(MatVecKernel kernel, int layers)
    {
        // 37 units: not a multiple of any SIMD width, so the kernels' tails run too.
        var checkpoint = RandomCheckpoints.Create("abcdefghij \n", hidden: 37, layers: layers);
        var engine = new LstmEngine(new LstmWeights(checkpoint), kernel);
        var tokens = checkpoint.Vocabulary.Encode("a cab\nfig jade\n");
        float[] logits = [];
        foreach (var token in tokens) logits = engine.Step(token).ToArray();

        var expected = ReferenceLogits(checkpoint, tokens);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logits[i], 1e-5);
    }

    [Theory]
    [InlineData(MatVecKernel.Vector256)]
    [InlineData(MatVecKernel.TensorPrimitives)]
    public void The_portable_kernel_agrees_with_the_faster_rounding_ones_on_a_2x512_model_over_many_steps(MatVecKernel server)
    {
        var checkpoint = RandomCheckpoints.Create("abcdefghijklmnopqrstuvwxyz .,\n", hidden: 512, layers: 2);
        var weights = new LstmWeights(checkpoint);
        var fast = new LstmEngine(weights, server);
        var portable = new LstmEngine(weights, MatVecKernel.Portable);
        var worst = 0.0;
        for (var step = 0; step < 100; step++)
        {
            var token = step * 7 % checkpoint.Config.VocabSize;
            var a = fast.Step(token).ToArray();
            var b = portable.Step(token);
            for (var i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        Assert.InRange(worst, 0, 1e-4);
    }

    [Fact]
    public void Reset_returns_the_engine_to_its_first_answer()
    {
        var engine = new LstmEngine(new LstmWeights(RandomCheckpoints.Create("xyz", hidden: 16, layers: 2)));
        var first = engine.Step(1).ToArray();
        engine.Step(2);
        Assert.NotEqual(first, engine.Step(1).ToArray());
        engine.Reset();
        Assert.Equal(first, engine.Step(1).ToArray());
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_refused()
    {
        var engine = new LstmEngine(new LstmWeights(RandomCheckpoints.Create("xy", hidden: 4, layers: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Step(2).ToArray());
    }
}
