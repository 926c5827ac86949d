using CharRnn.Contracts;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>
/// Draws text from a character LSTM as the notebook's <c>sample()</c> does: feed the prime, then draw each
/// next character from softmax(logits / temperature), restricted to the top k and the nucleus of top-p when set, until
/// the length or a stop; or, with a beam width, searches for the likeliest continuation instead (<see cref="BeamSearch"/>).
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

    /// <summary>Why the last passage ended, once it has: at a stop, or at its length; null while it is drawn.</summary>
    public SampleEnding? EndedBy { get; private set; }

    /// <summary>After a beam search: the continuation's natural-log probability and its bits per character; null after a draw.</summary>
    public (double LogProbability, double BitsPerCharacter)? BeamScore { get; private set; }

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
        return options.Beam is null ? Draw(options.WithSeed()) : Search(options.WithSeed());
    }

    private IEnumerable<string> Search(SampleOptions options)
    {
        (EndedBy, BeamScore) = (null, null);
        var search = new BeamSearch(_engine);
        foreach (var c in search.Search(options)) yield return c;
        (EndedBy, BeamScore) = (search.EndedBy, (search.LogProbability, search.BitsPerCharacter));
    }

    private IEnumerable<string> Draw(SampleOptions options)
    {
        var draw = new SampleDraw(_vocabulary, options);
        (EndedBy, BeamScore) = (null, null);
        _engine.Reset();
        if (draw.First is { } first) yield return first;
        while (!draw.Finished)
        {
            if (draw.Accept(_engine.Step(draw.NextToken)) is { } drawn) yield return drawn;
        }
        EndedBy = draw.EndedBy;
    }
}
