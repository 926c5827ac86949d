namespace CharRnn.Inference.Tests;

public class PortableMathTests
{
    [Fact]
    public void Exp_agrees_with_the_librarys_to_a_few_units_in_the_last_place()
    {
        for (var x = -700.0; x <= 700; x += 0.37)
        {
            var expected = Math.Exp(x);
            Assert.True(Math.Abs(PortableMath.Exp(x) - expected) <= 1e-15 * expected, $"exp({x}) = {PortableMath.Exp(x):R}, library {expected:R}");
        }
        Assert.Equal(1.0, PortableMath.Exp(0));
        Assert.Equal(0.0, PortableMath.Exp(-1000));
        Assert.Equal(double.PositiveInfinity, PortableMath.Exp(1000));
    }

    [Fact]
    public void Sigmoid_and_tanh_agree_with_the_librarys_within_float_rounding()
    {
        for (var x = -30f; x <= 30f; x += 0.0137f)
        {
            Assert.InRange(PortableMath.Sigmoid(x) - (float)(1 / (1 + Math.Exp(-x))), -6e-8f, 6e-8f);
            Assert.InRange(PortableMath.Tanh(x) - (float)Math.Tanh(x), -6e-8f, 6e-8f);
        }
        Assert.Equal(0f, PortableMath.Tanh(0f));
        Assert.Equal(0.5f, PortableMath.Sigmoid(0f));
    }

    /// <summary>The reproducible order written out one float at a time: what the browser's module computes.</summary>
    internal static float[] PortableProduct(float[] matrix, float[] x, float[] y)
    {
        var result = (float[])y.Clone();
        var cols = x.Length;
        for (var r = 0; r < y.Length; r++)
        {
            var acc = new float[4, 4]; // [accumulator, lane]
            var c = 0;
            for (; c + 16 <= cols; c += 16)
                for (var a = 0; a < 4; a++)
                    for (var lane = 0; lane < 4; lane++)
                    {
                        var product = matrix[r * cols + c + 4 * a + lane] * x[c + 4 * a + lane];
                        acc[a, lane] = acc[a, lane] + product;
                    }
            var lanes = new float[4];
            for (var lane = 0; lane < 4; lane++) lanes[lane] = (acc[0, lane] + acc[1, lane]) + (acc[2, lane] + acc[3, lane]);
            var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            for (; c < cols; c++) sum += matrix[r * cols + c] * x[c];
            result[r] += sum;
        }
        return result;
    }

    [Theory]
    [InlineData(2048, 512)]
    [InlineData(2048, 1024)]
    [InlineData(83, 512)]
    [InlineData(7, 37)] // a tail past the last 16 columns
    public void The_portable_kernel_sums_in_exactly_the_documented_order(int rows, int cols)
    {
        var random = new SeededRandom(rows * 31 + cols);
        float Next() => (float)(random.NextDouble() * 2 - 1);
        var matrix = Enumerable.Range(0, rows * cols).Select(_ => Next()).ToArray();
        var x = Enumerable.Range(0, cols).Select(_ => Next()).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => Next()).ToArray();
        var expected = PortableProduct(matrix, x, y);

        MatVec.MultiplyAdd(MatVecKernel.Portable, matrix, x, y);

        Assert.Equal(expected, y); // bit for bit
    }

    [Fact]
    public void Auto_means_portable_so_every_machine_draws_the_same_text()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create("abcdefgh ", 64, 2));
        Assert.Equal(MatVecKernel.Portable, new LstmEngine(weights).Kernel);
    }
}
