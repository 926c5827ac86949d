using System.Runtime.InteropServices;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Web.Client.Sampling;

/// <summary>
/// <see cref="ICharModel"/> whose arithmetic runs in the WebAssembly SIMD module: .NET's own code runs interpreted in
/// the browser, while the browser compiles the module to native SIMD (measured: 2,296 against at most 174 steps/s of
/// the recurrent products). The weights are copied into the module's memory once, in <see cref="LstmWeights"/>' layout;
/// each step is one call. The module mirrors the portable kernel's order, so the logits equal the server's bit for bit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("browser")]
public sealed class WasmCharModel : ICharModel
{
    private readonly float[] _logits;
    private readonly float[] _layerState;
    private int _stateRead = -1; // the layer whose state _layerState holds since the last step, or -1
    private readonly (int H, int C)[] _stateAt; // where each layer's h and c lie in the module's memory

    public WasmCharModel(LstmWeights weights)
    {
        Vocabulary = weights.Vocabulary;
        Config = weights.Config;
        _layerState = new float[LayerStates.Width(weights.Config.Hidden)];
        var (layers, hidden, vocab) = (weights.Config.Layers, weights.Config.Hidden, weights.Config.VocabSize);
        _logits = new float[vocab];
        var next = 64; // below it: scratch for the module's tests
        int Place(int floats) { var at = next; next += (floats * sizeof(float) + 15) & ~15; return at; }

        _stateAt = new (int, int)[layers];
        var layout = new List<int> { layers, hidden, vocab };
        var blocks = new List<(int Offset, float[] Values)>();
        int Add(float[] values) { var at = Place(values.Length); blocks.Add((at, values)); return at; }
        layout.Add(Add(weights.InputRows));
        layout.Add(Add(weights.OutputWeight));
        layout.Add(Add(weights.OutputBias));
        layout.Add(Place(4 * hidden)); // gates
        layout.Add(Place(2 * hidden)); // [h below; own h]
        layout.Add(Place(vocab));      // logits
        for (var k = 0; k < layers; k++)
        {
            layout.Add(Add(weights.Recurrent[k]));
            layout.Add(Add(weights.Bias[k]));
            _stateAt[k] = (Place(hidden), Place(hidden));
            layout.Add(_stateAt[k].H);
            layout.Add(_stateAt[k].C);
            layout.Add(Place(4 * hidden)); // its activated gates
        }
        LstmModule.Ensure(next);
        foreach (var (offset, values) in blocks) LstmModule.Write(offset, MemoryMarshal.AsBytes(values.AsSpan()));
        LstmModule.Configure([.. layout]);
        LstmModule.Reset();
    }

    public Vocabulary Vocabulary { get; }

    public ModelConfig Config { get; }

    public void Reset()
    {
        LstmModule.Reset();
        _stateRead = -1;
    }

    public ReadOnlySpan<float> Step(int token)
    {
        if ((uint)token >= (uint)_logits.Length) throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids run from 0 to {_logits.Length - 1}.");
        LstmModule.Step(token, MemoryMarshal.AsBytes(_logits.AsSpan()));
        _stateRead = -1;
        return _logits;
    }

    public void SaveState(Span<float> into)
    {
        var h = Config.Hidden;
        for (var k = 0; k < Config.Layers; k++) LayerState(k)[..(2 * h)].CopyTo(into.Slice(2 * h * k, 2 * h)); // [c; h]
    }

    public void LoadState(ReadOnlySpan<float> from)
    {
        var h = Config.Hidden;
        var layer = new float[2 * h];
        for (var k = 0; k < Config.Layers; k++)
        {
            from.Slice(2 * h * k, 2 * h).CopyTo(layer);
            LstmModule.Write(_stateAt[k].C, MemoryMarshal.AsBytes(layer.AsSpan(0, h)));
            LstmModule.Write(_stateAt[k].H, MemoryMarshal.AsBytes(layer.AsSpan(h, h)));
        }
        _stateRead = -1;
    }

    /// <summary>Copied out of the module's memory when asked (one call per layer), so sampling pays nothing for it.</summary>
    public ReadOnlySpan<float> LayerState(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layers run from 0 to {Config.Layers - 1}.");
        if (_stateRead != layer)
        {
            LstmModule.State(layer, MemoryMarshal.AsBytes(_layerState.AsSpan()));
            _stateRead = layer;
        }
        return _layerState;
    }
}
