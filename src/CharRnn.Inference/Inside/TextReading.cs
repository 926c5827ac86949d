namespace CharRnn.Inference.Inside;

/// <summary>
/// A text read by a model character by character, as the Inside page shows it: at each character, one layer's whole
/// state (<see cref="LayerStates"/>), how surprised the model was by the character, and the characters it expected next.
/// Reading goes on where it stopped, so typing into the page steps only the new characters.
/// </summary>
public sealed class TextReading
{
    /// <summary>Next characters kept at each position, best first: the blog's view.</summary>
    public const int Guesses = 5;

    private readonly ICharModel _model;
    private readonly double[] _probabilities;
    private double[]? _expected; // what the model expected after the last character read

    /// <summary>Starts reading from a zero state, keeping layer <paramref name="layer"/>'s state.</summary>
    public TextReading(ICharModel model, int layer)
    {
        if ((uint)layer >= (uint)model.Config.Layers) throw new ArgumentException($"Layer {layer} is out of range: this model's layers run from 0 to {model.Config.Layers - 1}.");
        (_model, Layer) = (model, layer);
        _probabilities = new double[model.Vocabulary.Count];
        model.Reset();
    }

    public int Layer { get; }
    public List<string> Characters { get; } = [];
    /// <summary>[position][c; h; i; f; g; o] of <see cref="Layer"/> after the model read that character.</summary>
    public List<float[]> States { get; } = [];
    /// <summary>−log₂ of the probability the model gave the character before it came; null for the first, which nothing predicted.</summary>
    public List<double?> Surprise { get; } = [];
    /// <summary>The likeliest next characters after each position, best first.</summary>
    public List<IReadOnlyList<Alternative>> Next { get; } = [];

    /// <summary>The characters the model lacks, if any, in <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Unknown(string text) => _model.Vocabulary.FindUnknown(text);

    /// <summary>Reads <paramref name="text"/> on from where reading stopped.</summary>
    /// <exception cref="UnknownCharactersException">The text has characters the model never saw; nothing is read.</exception>
    public void Read(string text)
    {
        foreach (var token in _model.Vocabulary.Encode(text)) // refuses unknown characters, naming them, before any is read
        {
            Surprise.Add(_expected is { } p ? -Math.Log2(p[token]) : null);
            var logits = _model.Step(token);
            Characters.Add(_model.Vocabulary[token]);
            States.Add(_model.LayerState(Layer).ToArray());
            BitsPerCharacter.Softmax(logits, _probabilities);
            _expected ??= new double[_probabilities.Length];
            _probabilities.CopyTo(_expected, 0);
            Next.Add(BitsPerCharacter.Likeliest(_probabilities, _model.Vocabulary, Guesses));
        }
    }

    /// <summary>The shown value (<see cref="LayerStates.Shown(Contracts.StateQuantity, float)"/>) of a unit at a position.</summary>
    public float Value(int position, Contracts.StateQuantity quantity, int unit) =>
        LayerStates.Shown(quantity, States[position][LayerStates.Index(quantity, unit, _model.Config.Hidden)]);
}
