using CharRnn.Training.Loop;
using CharRnn.Training.Model;
using CharRnn.Training.Precision;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CharRnn.Training.Tests;

/// <summary>
/// The bfloat16 step's compute copy runs the LSTM one layer at a time with dropout masks of its own: the same model as
/// the float32 one within bfloat16's rounding, its weights paired by meaning, and dropout that means what libtorch's does.
/// </summary>
public class Bfloat16CopyTests(ITestOutputHelper output)
{
    [Fact]
    public void The_copy_pairs_each_weight_with_its_own_and_computes_the_float32_models_logits_within_bfloat16s_rounding()
    {
        manual_seed(3);
        using var model = new CharRnnModel(vocabSize: 7, hidden: 16, layers: 3, dropoutRate: 0.5);
        using var mixed = new MixedPrecision(model, TrainingPrecision.Bfloat16, CPU);
        mixed.LoadWeights();
        model.eval();
        mixed.Compute.eval();
        using var tokens = randint(0, 7, [2, 40]);

        var (expected, (h, c)) = model.call(tokens, model.InitialState(2, CPU));
        var (actual, (copyH, copyC)) = mixed.Compute.call(tokens, mixed.InitialState(2, CPU));

        var largest = (expected - actual).abs().max().item<float>();
        output.WriteLine($"largest logit difference {largest:G3}, logits up to {expected.abs().max().item<float>():G3}");
        // Paired by position instead of meaning, layer 1's input weights would take layer 0's shape, or the input and
        // recurrent weights of the upper layers (the same shape) would swap, and the logits would differ by their own size.
        Assert.InRange(largest, 0, 0.005); // measured 0.0006 with logits up to 0.26
        Assert.Equal(h.shape, copyH.shape);
        Assert.InRange((h - copyH.to(ScalarType.Float32)).abs().max().item<float>(), 0, 0.005);
        Assert.InRange((c - copyC.to(ScalarType.Float32)).abs().max().item<float>(), 0, 0.005);
        // The copy did compute in bfloat16: its logits are not the float32 model's bits.
        Assert.NotEqual(0, largest);
    }

    [Fact]
    public void Dropout_keeps_each_unit_with_probability_one_minus_p_scaled_by_its_inverse_and_repeats_for_a_seed()
    {
        using var units = ones(200_000, ScalarType.BFloat16);

        manual_seed(11);
        using var dropped = Bfloat16Copy.Dropout(units, 0.3).to(ScalarType.Float32);
        manual_seed(11);
        using var again = Bfloat16Copy.Dropout(units, 0.3).to(ScalarType.Float32);

        var zeros = dropped.eq(0).sum().item<long>() / 200_000.0;
        output.WriteLine($"dropped {zeros:P2}");
        Assert.InRange(zeros, 0.29, 0.31); // 200,000 draws: the share's standard deviation is 0.001
        var kept = dropped.masked_select(dropped.ne(0));
        using var scale = tensor(1 / 0.7f).to(ScalarType.BFloat16).to(ScalarType.Float32); // 1 / (1 − p), rounded as the mask holds it
        Assert.Equal(scale.item<float>(), kept.min().item<float>());
        Assert.Equal(kept.min().item<float>(), kept.max().item<float>());
        Assert.True(dropped.eq(again).all().item<bool>(), "the same seed draws the same mask");
        Assert.Same(units, Bfloat16Copy.Dropout(units, 0));
    }

    [Fact]
    public void A_bfloat16_run_with_dropout_learns_and_repeats_for_its_seed()
    {
        var options = TinyRun.Small with { Device = DeviceChoice.Cpu, Precision = PrecisionChoice.Bfloat16, Dropout = 0.3 };
        List<double> Losses()
        {
            var folder = Directory.CreateTempSubdirectory("charrnn-bf16-dropout-").FullName;
            try
            {
                var trainer = new Trainer(TinyRun.Text, options, folder);
                var losses = new List<double>();
                trainer.StepCompleted += s => losses.Add(s.TrainLoss);
                trainer.Run();
                return losses;
            }
            finally { Directory.Delete(folder, recursive: true); }
        }

        var first = Losses();
        var second = Losses();

        output.WriteLine(string.Join(" ", first.Select(l => l.ToString("F4"))));
        Assert.True(first[^1] < first[0] - 0.3, "the model learned");
        Assert.Equal(first, second);
    }
}
