using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Inside;

/// <summary>
/// A text read by a model character by character (<see cref="StateWalk"/>), as the Inside page shows it: at each
/// character, one layer's whole state (<see cref="LayerStates"/>), how surprised the model was by the character, and
/// the characters it expected next. Reading goes on where it stopped, so typing into the page steps only the new
/// characters. A character the model lacks is read past (<see cref="Skipped"/>): its state, and what the model
/// expects next, are the ones carried over from the character before.
/// </summary>
public sealed class TextReading
{
    /// <summary>Next characters kept at each position, best first: the blog's view.</summary>
    public const int Guesses = 5;

    private readonly ICharModel _model;
    private readonly int[] _layers;
    private readonly double[] _probabilities;
    private double[]? _expected; // what the model expected after the last character read
    private int[] _tokens = [];  // the ids being read, for the walk's callbacks
    private int _first;          // the position of _tokens[0]

    /// <summary>Starts reading from a zero state, keeping layer <paramref name="layer"/>'s state.</summary>
    /// <exception cref="ArgumentException">The model has no such layer.</exception>
    public TextReading(ICharModel model, int layer)
    {
        if (model.Config.LayerProblem(layer) is { } problem) throw new ArgumentException(problem, nameof(layer));
        (_model, Layer, _layers) = (model, layer, [layer]);
        _probabilities = new double[model.Vocabulary.Count];
        model.Reset();
    }

    public int Layer { get; }
    public List<string> Characters { get; } = [];
    /// <summary>[position][c; h; i; f; g; o] of <see cref="Layer"/> after the model read that character.</summary>
    public List<float[]> States { get; } = [];
    /// <summary>−log₂ of the probability the model gave the character before it came; null for the first character read, which nothing predicted, and for one read past.</summary>
    public List<double?> Surprise { get; } = [];
    /// <summary>The likeliest next characters after each position, best first (none before the first character read).</summary>
    public List<IReadOnlyList<Alternative>> Next { get; } = [];
    /// <summary>The positions of characters the model lacks, read past.</summary>
    public SortedSet<int> Skipped { get; } = [];

    /// <summary>Reads <paramref name="text"/> on from where reading stopped, reading past characters the model lacks.</summary>
    public void Read(string text)
    {
        (_tokens, _first) = (_model.Vocabulary.Encode(text, UnknownCharacters.ReadPast), Characters.Count);
        Characters.AddRange(TextFeatures.Characters(text));
        StateWalk.Walk(_model, _tokens, _first, Keep, Expect, _layers);
    }

    private void Keep(int position, int layer, ReadOnlySpan<float> state) => States.Add(state.ToArray());

    private void Expect(int position, ReadOnlySpan<float> logits)
    {
        var token = _tokens[position - _first];
        if (token == Vocabulary.ReadPast)
        {
            Skipped.Add(position);
            Surprise.Add(null);
            Next.Add(Next.Count > 0 ? Next[^1] : []);
            return;
        }
        Surprise.Add(_expected is { } p ? -Math.Log2(p[token]) : null);
        BitsPerCharacter.Softmax(logits, _probabilities);
        _expected ??= new double[_probabilities.Length];
        _probabilities.CopyTo(_expected, 0);
        Next.Add(BitsPerCharacter.Likeliest(_probabilities, _model.Vocabulary, Guesses));
    }

    /// <summary>The shown value (<see cref="LayerStates.Shown(Contracts.StateQuantity, float)"/>) of a unit at a position.</summary>
    public float Value(int position, Contracts.StateQuantity quantity, int unit) =>
        LayerStates.Shown(quantity, States[position][LayerStates.Index(quantity, unit, _model.Config.Hidden)]);
}
