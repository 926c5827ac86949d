using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// A checkpoint's weights rearranged for stepping one character at a time. Immutable, so any number of
/// <see cref="LstmEngine"/>s (one per concurrent sampler) can share one copy.
/// <list type="bullet">
/// <item>Layer 0 sees a one-hot input, so W_ih·x is one column of W_ih: we store W_ih transposed and look the row up.</item>
/// <item>Layers above see [x; h]: W_ih and W_hh are stored side by side as one matrix, so one product gives the gates.</item>
/// <item>The two biases are summed once.</item>
/// </list>
/// </summary>
public sealed class LstmWeights
{
    public ModelConfig Config { get; }
    public Vocabulary Vocabulary { get; }

    /// <summary>[vocab][4H]: column t of lstm.weight_ih_l0, i.e. the layer-0 gate input for token t.</summary>
    internal float[] InputRows { get; }
    /// <summary>Layer 0: [4H][H] (W_hh). Layer k ≥ 1: [4H][2H] ([W_ih | W_hh]).</summary>
    internal float[][] Recurrent { get; }
    /// <summary>[layer][4H]: bias_ih + bias_hh.</summary>
    internal float[][] Bias { get; }
    internal float[] OutputWeight { get; }
    internal float[] OutputBias { get; }

    /// <summary>
    /// Bytes of weights one step reads: every recurrent matrix and the output layer, but only one row of the
    /// layer-0 input weights. Beyond what the cache holds this, not arithmetic, sets the speed of sampling.
    /// </summary>
    public long StreamedBytesPerStep =>
        (Precision == WeightPrecision.BFloat16 ? 2 : 4) * (Recurrent.Sum(m => (long)m.Length) + OutputWeight.Length)
        + sizeof(float) * (Bias.Sum(b => (long)b.Length) + 4L * Config.Hidden + OutputBias.Length);

    /// <param name="precision">How to store the matrices; see <see cref="WeightPrecision.BFloat16"/> for the trade.</param>
    public LstmWeights(Checkpoint checkpoint, WeightPrecision precision = WeightPrecision.Float32)
    {
        checkpoint.Validate();
        Config = checkpoint.Config;
        Precision = precision == WeightPrecision.BFloat16 && Config.Hidden % BFloat16Matrix.Block == 0 ? precision : WeightPrecision.Float32;
        Vocabulary = checkpoint.Vocabulary;
        int h = Config.Hidden, v = Config.VocabSize, gates = 4 * h;
        var t = checkpoint.Tensors;

        var wih0 = t["lstm.weight_ih_l0"].Values;
        InputRows = new float[v * gates];
        for (var g = 0; g < gates; g++)
            for (var token = 0; token < v; token++)
                InputRows[token * gates + g] = wih0[g * v + token];

        Recurrent = new float[Config.Layers][];
        Bias = new float[Config.Layers][];
        for (var k = 0; k < Config.Layers; k++)
        {
            var whh = t[$"lstm.weight_hh_l{k}"].Values;
            if (k == 0)
            {
                Recurrent[k] = (float[])whh.Clone();
            }
            else
            {
                var wih = t[$"lstm.weight_ih_l{k}"].Values;
                var joined = new float[gates * 2 * h];
                for (var g = 0; g < gates; g++)
                {
                    Array.Copy(wih, g * h, joined, g * 2 * h, h);
                    Array.Copy(whh, g * h, joined, g * 2 * h + h, h);
                }
                Recurrent[k] = joined;
            }
            var bih = t[$"lstm.bias_ih_l{k}"].Values;
            var bhh = t[$"lstm.bias_hh_l{k}"].Values;
            Bias[k] = new float[gates];
            for (var g = 0; g < gates; g++) Bias[k][g] = bih[g] + bhh[g];
        }
        OutputWeight = (float[])t["fc.weight"].Values.Clone();
        OutputBias = (float[])t["fc.bias"].Values.Clone();
        if (Precision == WeightPrecision.BFloat16)
        {
            PackedRecurrent = Recurrent.Select((m, k) => new BFloat16Matrix(m, gates, k == 0 ? h : 2 * h)).ToArray();
            PackedOutput = new BFloat16Matrix(OutputWeight, v, h);
        }
    }

    /// <summary>The precision in use: bfloat16 only when asked for and the hidden size allows it.</summary>
    public WeightPrecision Precision { get; }

    /// <summary>With bfloat16, the recurrent matrices and the output layer packed (the float copies are kept for reference).</summary>
    internal BFloat16Matrix[]? PackedRecurrent { get; }
    internal BFloat16Matrix? PackedOutput { get; }
}
