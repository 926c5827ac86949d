using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

namespace CharRnn.Inference.Tests;

public class BFloat16Tests
{
    [Theory]
    [InlineData(1.0f, 0x3F80u)]
    [InlineData(-2.5f, 0xC020u)]
    [InlineData(0.1f, 0x3DCDu)] // 0x3DCCCCCD rounds up
    [InlineData(1.00390625f, 0x3F80u)] // exactly half way (0x3F808000): ties to even, down
    [InlineData(1.01171875f, 0x3F82u)] // 0x3F818000: half way, ties to even, up
    public void Floats_round_to_the_nearest_bfloat16_ties_to_even(float value, uint expected)
    {
        Assert.Equal(expected, BFloat16Matrix.Round(value));
    }

    [Fact]
    public void A_bfloat16_engine_stays_within_1e_3_of_float32_on_a_2x512_model_over_300_steps()
    {
        var checkpoint = RandomCheckpoints.Create("abcdefghijklmnopqrstuvwxyz .,\n", hidden: 512, layers: 2);
        var exact = new LstmEngine(new LstmWeights(checkpoint));
        var weights = new LstmWeights(checkpoint, WeightPrecision.BFloat16);
        var fast = new LstmEngine(weights);
        Assert.Equal(WeightPrecision.BFloat16, weights.Precision);

        var worst = 0.0;
        for (var step = 0; step < 300; step++)
        {
            var token = step * 11 % checkpoint.Config.VocabSize;
            var a = exact.Step(token).ToArray();
            var b = fast.Step(token);
            for (var i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        Assert.InRange(worst, 1e-9, 1e-3); // not identical (it is rounded), but close
    }

    [Fact]
    public void Bfloat16_halves_the_bytes_streamed_a_step()
    {
        var checkpoint = RandomCheckpoints.Create("abcdefghijklmnopqrstuvwxyz .,\n", hidden: 64, layers: 2);
        var f32 = new LstmWeights(checkpoint).StreamedBytesPerStep;
        var bf16 = new LstmWeights(checkpoint, WeightPrecision.BFloat16).StreamedBytesPerStep;
        Assert.InRange((double)bf16 / f32, 0.5, 0.55);
    }

    [Fact]
    public void A_hidden_size_that_is_not_a_multiple_of_16_keeps_float32()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create("abc", hidden: 20, layers: 1), WeightPrecision.BFloat16);
        Assert.Equal(WeightPrecision.Float32, weights.Precision);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bfloat16_sample()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create("abcdefgh \n", hidden: 32, layers: 2), WeightPrecision.BFloat16);
        var options = new SampleOptions("ab", 200, TopK: 4, Seed: 8);
        Assert.Equal(string.Concat(new Sampler(weights).Generate(options)), string.Concat(new Sampler(weights).Generate(options)));
    }
}
