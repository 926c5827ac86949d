using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

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

/// <summary>The four-lane versions give each lane the scalar version's bits, and the cell update with them too.</summary>
public class PortableMathVectorTests
{
    private static IEnumerable<double> Inputs()
    {
        var random = new Random(12);
        foreach (var x in new[] { 0.0, -0.0, 1e-300, -1e-300, 1e-8, 0.5, -0.5, 0.34657359, 20, -20, 88.7, -103.9, 699.99, 700, 700.01, -699.99, -700, -700.01, 1e6, -1e6 })
            yield return x;
        for (var i = 0; i < 20_000; i++) yield return (random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-6, 3));
    }

    [Fact]
    public void Exp_sigmoid_and_tanh_on_four_lanes_give_the_scalar_bits()
    {
        var xs = Inputs().ToArray();
        for (var i = 0; i + 4 <= xs.Length; i += 4)
        {
            var v = System.Runtime.Intrinsics.Vector256.Create(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]);
            var (exp, sigmoid, tanh) = (PortableMath.Exp(v), PortableMath.Sigmoid(v), PortableMath.Tanh(v));
            for (var lane = 0; lane < 4; lane++)
            {
                var x = xs[i + lane];
                Assert.Equal(PortableMath.Exp(x), exp[lane]);
                var f = (float)x;
                if (f == x) // Sigmoid and Tanh take floats: compare where the input is one
                {
                    Assert.Equal(PortableMath.Sigmoid(f), (float)sigmoid[lane]);
                    Assert.Equal(PortableMath.Tanh(f), (float)tanh[lane]);
                }
            }
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(37)] // the units past the last four go one by one
    public void The_cell_update_gives_the_one_by_one_bits(int hidden)
    {
        var random = new Random(hidden);
        var gates = Enumerable.Range(0, 4 * hidden).Select(_ => (float)((random.NextDouble() * 2 - 1) * 12)).ToArray();
        var c = Enumerable.Range(0, hidden).Select(_ => (float)((random.NextDouble() * 2 - 1) * 3)).ToArray();
        var (expectedH, expectedC) = (new float[hidden], (float[])c.Clone());
        for (var j = 0; j < hidden; j++)
        {
            var input = PortableMath.Sigmoid(gates[j]);
            var forget = PortableMath.Sigmoid(gates[hidden + j]);
            var candidate = PortableMath.Tanh(gates[2 * hidden + j]);
            var output = PortableMath.Sigmoid(gates[3 * hidden + j]);
            var cell = forget * expectedC[j] + input * candidate;
            expectedC[j] = cell;
            expectedH[j] = output * PortableMath.Tanh(cell);
        }
        var h = new float[hidden];

        LstmEngine.UpdateCell(gates, h, c, hidden);

        Assert.Equal(expectedC, c);
        Assert.Equal(expectedH, h);
    }
}
