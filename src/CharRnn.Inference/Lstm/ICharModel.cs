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
}
