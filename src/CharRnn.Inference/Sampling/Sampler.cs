using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>
/// Draws text from a character LSTM as the notebook's <c>sample()</c> does: feed the prime, then draw each
/// next character from softmax(logits / temperature), restricted to the top k when k is set.
/// </summary>
public sealed class Sampler
{
    private readonly ICharModel _engine;
    private readonly Vocabulary _vocabulary;

    public Sampler(LstmWeights weights, MatVecKernel kernel = MatVecKernel.Auto) : this(new LstmEngine(weights, kernel)) { }

    public Sampler(ICharModel model)
    {
        _engine = model;
        _vocabulary = model.Vocabulary;
    }

    public ICharModel Model => _engine;

    /// <summary>
    /// Yields each drawn character (one code point, so one or two UTF-16 units) as soon as it is drawn.
    /// The prime is not repeated. Options are checked before the first character: bad ones throw
    /// <see cref="ArgumentException"/> (<see cref="UnknownCharactersException"/> for a prime with unknown characters).
    /// </summary>
    public IEnumerable<string> Generate(SampleOptions options)
    {
        if (_vocabulary.Unknown(options.Prime ?? "", "The prime") is { } unknown) throw unknown;
        var problems = options.Problems(_vocabulary);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        return Draw(options.WithSeed());
    }

    private IEnumerable<string> Draw(SampleOptions options)
    {
        var draw = new SampleDraw(_vocabulary, options);
        _engine.Reset();
        if (draw.First is { } first) yield return first;
        while (!draw.Finished)
        {
            if (draw.Accept(_engine.Step(draw.NextToken)) is { } drawn) yield return drawn;
        }
    }
}
