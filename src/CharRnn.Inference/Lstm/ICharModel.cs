using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// A character model stepped one token at a time: what <see cref="Sampler"/> and <see cref="BitsPerCharacter"/> drive.
/// <see cref="LstmEngine"/> is the C# one; the browser's runs its arithmetic in a WebAssembly module.
/// </summary>
public interface ICharModel
{
    Vocabulary Vocabulary { get; }

    ModelConfig Config { get; }

    /// <summary>Zeroes the state, as a new sequence begins.</summary>
    void Reset();

    /// <summary>Feeds one token and returns the logits for the next one (valid until the next call).</summary>
    ReadOnlySpan<float> Step(int token);

    /// <summary>Layer <paramref name="layer"/>'s state after the last step, laid out as <see cref="LayerStates"/> says.</summary>
    ReadOnlySpan<float> LayerState(int layer);

    /// <summary>How many numbers <see cref="SaveState"/> writes: each layer's cell and hidden state.</summary>
    int StateSize => 2 * Config.Layers * Config.Hidden;

    /// <summary>Copies the recurrent state (each layer's c and h) out, so that one model can follow several sequences (<see cref="BeamSearch"/>).</summary>
    void SaveState(Span<float> into);

    /// <summary>Makes a state that <see cref="SaveState"/> wrote the current one: the next <see cref="Step"/> continues from it.</summary>
    void LoadState(ReadOnlySpan<float> from);
}
