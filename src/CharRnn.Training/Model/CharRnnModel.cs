using CharRnn.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Model;

/// <summary>
/// The notebook's CharRNN: one-hot(x) → LSTM(layers, hidden, dropout between layers, batch-first)
/// → Dropout → Linear(hidden, vocab). Field names become the weight names, so they match PyTorch's
/// (<c>lstm.weight_ih_l0</c> … <c>fc.bias</c>) and notebook checkpoints load as they are.
/// </summary>
public sealed class CharRnnModel : nn.Module<Tensor, (Tensor H, Tensor C), (Tensor Logits, (Tensor H, Tensor C) State)>
{
    // Field names are part of the checkpoint format: do not rename.
#pragma warning disable IDE1006
    private readonly LSTM lstm;
    private readonly Dropout dropout;
    private readonly Linear fc;
#pragma warning restore IDE1006

    public CharRnnModel(int vocabSize, int hidden, int layers, double dropoutRate) : base(nameof(CharRnnModel))
    {
        VocabSize = vocabSize;
        Hidden = hidden;
        Layers = layers;
        DropoutRate = dropoutRate;
        lstm = nn.LSTM(vocabSize, hidden, layers, batchFirst: true, dropout: layers > 1 ? dropoutRate : 0);
        dropout = nn.Dropout(dropoutRate);
        fc = nn.Linear(hidden, vocabSize);
        RegisterComponents();
    }

    public int VocabSize { get; }
    public int Hidden { get; }
    public int Layers { get; }
    public double DropoutRate { get; }

    /// <summary>The type the LSTM computes in: float32 (a bfloat16 step computes with a <see cref="Bfloat16Copy"/>).</summary>
    public ScalarType DataType => lstm.parameters().First().dtype;

    /// <summary>A zero state (h, c) for <paramref name="batchSize"/> sequences, each (layers, batch, hidden), in the LSTM's type.</summary>
    public (Tensor H, Tensor C) InitialState(long batchSize, Device device) =>
        (zeros(Layers, batchSize, Hidden, DataType, device), zeros(Layers, batchSize, Hidden, DataType, device));

    /// <summary>Token ids (batch, seq) → logits (batch·seq, vocab) in float32, and the state after the last step.</summary>
    public override (Tensor Logits, (Tensor H, Tensor C) State) forward(Tensor tokens, (Tensor H, Tensor C) state)
    {
        using var oneHot = nn.functional.one_hot(tokens, VocabSize).to(DataType);
        var (output, h, c) = lstm.call(oneHot, state);
        using var dropped = dropout.call(output);
        output.Dispose();
        using var outputs = dropped.reshape(-1, Hidden).to(fc.weight!.dtype); // float32 for the output layer; no copy where the LSTM is float32 too
        var logits = fc.call(outputs);
        return (logits, (h, c));
    }
}
