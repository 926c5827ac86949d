namespace CharRnn.Inference.Lstm;

/// <summary>The shape of a character LSTM: the checkpoint's <c>config</c> metadata.</summary>
/// <param name="Hidden">Units in each LSTM layer (the notebook: 512).</param>
/// <param name="Layers">Stacked LSTM layers (the notebook: 2).</param>
/// <param name="Dropout">Dropout between layers and before the output layer while training (the notebook: 0.5).</param>
/// <param name="VocabSize">Distinct characters: the one-hot input width and the number of output logits.</param>
public sealed record ModelConfig(int Hidden, int Layers, double Dropout, int VocabSize)
{
    /// <summary>Number of weights, for display: LSTM layers plus the output layer.</summary>
    public long ParameterCount
    {
        get
        {
            long total = 0;
            for (var layer = 0; layer < Layers; layer++)
            {
                long input = layer == 0 ? VocabSize : Hidden;
                total += 4L * Hidden * (input + Hidden + 2);
            }
            return total + (long)VocabSize * Hidden + VocabSize;
        }
    }

    /// <summary>Why <paramref name="layer"/> names no layer of this model, or null when it does.</summary>
    public string? LayerProblem(int layer) =>
        (uint)layer < (uint)Layers ? null : $"Layer {layer} is out of range: this model's layers run from 0 to {Layers - 1}.";

    /// <summary>Why <paramref name="unit"/> names no unit of this model's layers, or null when it does.</summary>
    public string? UnitProblem(int unit) =>
        (uint)unit < (uint)Hidden ? null : $"Unit {unit} is out of range: this model's units run from 0 to {Hidden - 1}.";
}
