using CharRnn.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnn.Training.Precision;

/// <summary>
/// The model a bfloat16 step computes with (<see cref="MixedPrecision"/>): the notebook's <see cref="CharRnnModel"/>
/// with its LSTM in bfloat16, run one layer at a time, and its output layer in float32. Its weights are the float32
/// model's, in the same order, rounded to bfloat16 before each step.
/// <para>
/// The output layer stays float32 because that is where bfloat16 breaks training: early on, logits are the letter
/// frequencies (an fc bias of a few units) plus a small part that depends on the state, and bfloat16's 8 significant bits
/// round that small part away (at a logit of 4 its step is 0.03). The model then cannot see what its state adds, and at
/// a high rate it stays at the letter-frequency loss (3.1 on Anna Karenina) where float32 goes on learning.
/// docs/benchmarks.md ("bfloat16 that trains") has the figures.
/// </para>
/// <para>
/// The layers run one at a time so that this copy draws its own dropout masks, between the layers and before the output
/// layer, as <c>rand(…) ≥ p</c>. libtorch draws a Bernoulli mask one element at a time on AMD processors (its vectorised
/// path is for Intel's), 7 ms a site at the Fast preset's shapes, where this takes under half that; a two-layer step
/// has two sites, about a tenth of a bfloat16 step (docs/benchmarks.md, "Where the bfloat16 step's time goes"). oneDNN
/// runs a multi-layer LSTM one layer at a time anyway, so the split costs nothing there. The masks mean the same as
/// libtorch's: each unit kept with probability 1 − p and scaled by 1 / (1 − p), from the same seeded generator. Float32
/// runs never use this copy, so they keep libtorch's masks and their bits.
/// </para>
/// </summary>
public sealed class Bfloat16Copy : nn.Module<Tensor, (Tensor H, Tensor C), (Tensor Logits, (Tensor H, Tensor C) State)>
{
    private readonly ModuleList<LSTM> _layers;
    private readonly Linear _fc;
    private readonly int _vocabSize;
    private readonly int _hidden;
    private readonly double _dropout;

    public Bfloat16Copy(CharRnnModel model) : base(nameof(Bfloat16Copy))
    {
        (_vocabSize, _hidden, _dropout) = (model.VocabSize, model.Hidden, model.DropoutRate);
        _layers = nn.ModuleList(Enumerable.Range(0, model.Layers)
            .Select(layer => nn.LSTM(layer == 0 ? model.VocabSize : model.Hidden, model.Hidden, batchFirst: true)).ToArray());
        _fc = nn.Linear(model.Hidden, model.VocabSize);
        RegisterComponents();
        foreach (var layer in _layers) layer.to(ScalarType.BFloat16);
    }

    /// <summary>
    /// Each of the float32 model's weights beside this copy's weight of the same meaning: <c>lstm.weight_ih_l1</c> is
    /// layer 1's <c>weight_ih_l0</c> here, <c>fc.bias</c> is <c>_fc.bias</c>.
    /// </summary>
    public IEnumerable<(Parameter Weight, Parameter Copy)> Pairs(CharRnnModel model)
    {
        var copies = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, weight) in model.named_parameters())
        {
            var copyName = name.StartsWith("lstm.")
                ? $"_layers.{name[(name.LastIndexOf("_l") + 2)..]}.{name["lstm.".Length..name.LastIndexOf("_l")]}_l0"
                : $"_{name}";
            yield return (weight, copies[copyName]);
        }
    }

    /// <summary>A zero state (h, c) for <paramref name="batchSize"/> sequences, each (layers, batch, hidden), in bfloat16.</summary>
    public (Tensor H, Tensor C) InitialState(long batchSize, Device device) =>
        (zeros(_layers.Count, batchSize, _hidden, ScalarType.BFloat16, device),
            zeros(_layers.Count, batchSize, _hidden, ScalarType.BFloat16, device));

    /// <summary>Token ids (batch, seq) → logits (batch·seq, vocab) in float32, and the state after the last step, as <see cref="CharRnnModel.forward"/>.</summary>
    public override (Tensor Logits, (Tensor H, Tensor C) State) forward(Tensor tokens, (Tensor H, Tensor C) state)
    {
        using var scope = NewDisposeScope();
        var input = nn.functional.one_hot(tokens, _vocabSize).to(ScalarType.BFloat16);
        var (hs, cs) = (new Tensor[_layers.Count], new Tensor[_layers.Count]);
        for (var layer = 0; layer < _layers.Count; layer++)
        {
            var (output, h, c) = _layers[layer].call(input, (state.H[layer].unsqueeze(0), state.C[layer].unsqueeze(0)));
            (hs[layer], cs[layer]) = (h, c);
            input = Dropped(output);
        }
        var logits = _fc.call(input.reshape(-1, _hidden).to(ScalarType.Float32)).MoveToOuterDisposeScope();
        return (logits, (cat(hs).MoveToOuterDisposeScope(), cat(cs).MoveToOuterDisposeScope()));
    }

    private Tensor Dropped(Tensor input) => training ? Dropout(input, _dropout) : input;

    /// <summary>
    /// Dropout as libtorch means it, each element kept with probability 1 − <paramref name="p"/> and scaled by
    /// 1 / (1 − p), with the mask drawn as <c>rand ≥ p</c> from the seeded generator; the input itself at p = 0.
    /// </summary>
    public static Tensor Dropout(Tensor input, double p)
    {
        if (p == 0) return input;
        using var kept = rand(input.shape, device: input.device).ge_(p);
        using var mask = kept.to(input.dtype).div_(1 - p);
        return input.mul(mask);
    }
}
