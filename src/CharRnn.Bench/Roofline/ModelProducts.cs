namespace CharRnn.Bench.Roofline;

/// <summary>One matrix product of a training step's forward pass: (m × k) · (k × n), done <paramref name="PerStep"/> times a step.</summary>
internal sealed record ModelProduct(string Name, int M, int K, int N, int PerStep)
{
    public double Flops => 2.0 * M * K * N;

    public string Shape => $"{M} × {K} × {N}";
}

/// <summary>
/// The matrix products of a training step of the notebook's model at a preset's batch, sequence and hidden size:
/// each LSTM layer's input product over the whole window and its recurrent product at each time step, and the output
/// layer. The backward pass does each twice more (the gradients of the input and of the weights), so a step's
/// products cost three times the forward ones.
/// </summary>
internal static class ModelProducts
{
    public const int ForwardAndBackward = 3;

    public static IReadOnlyList<ModelProduct> For(TrainingOptions options, int vocabularySize)
    {
        int b = options.BatchSize, s = options.SequenceLength, h = options.Hidden;
        var products = new List<ModelProduct> { new("layer 1's input product over the window", b * s, vocabularySize, 4 * h, 1) };
        products.Add(new("each layer's recurrent product, one time step", b, h, 4 * h, s * options.Layers));
        if (options.Layers > 1) products.Add(new("layer 2+'s input product over the window", b * s, h, 4 * h, options.Layers - 1));
        products.Add(new("the output layer over the window", b * s, h, vocabularySize, 1));
        return products;
    }

    /// <summary>Multiply-adds ×2 of a whole step, forward and backward.</summary>
    public static double StepFlops(IEnumerable<ModelProduct> products) => ForwardAndBackward * products.Sum(p => p.Flops * p.PerStep);
}
