namespace CharRnn.Inference;

/// <summary>
/// Draws text from a character LSTM as the notebook's <c>sample()</c> does: feed the prime, then draw each
/// next character from softmax(logits / temperature), restricted to the top k when k is set.
/// </summary>
public sealed class Sampler
{
    private readonly ICharModel _engine;
    private readonly Vocabulary _vocabulary;
    private readonly float[] _scores;
    private readonly int[] _order;
    private readonly double[] _probabilities;

    public Sampler(LstmWeights weights, MatVecKernel kernel = MatVecKernel.Auto) : this(new LstmEngine(weights, kernel)) { }

    public Sampler(ICharModel model)
    {
        _engine = model;
        _vocabulary = model.Vocabulary;
        _scores = new float[_vocabulary.Count];
        _order = new int[_vocabulary.Count];
        _probabilities = new double[_vocabulary.Count];
    }

    public ICharModel Model => _engine;

    /// <summary>
    /// Yields each drawn character (one code point, so one or two UTF-16 units) as soon as it is drawn.
    /// The prime is not repeated. Options are checked before the first character: bad ones throw
    /// <see cref="ArgumentException"/> (<see cref="UnknownCharactersException"/> for a prime with unknown characters).
    /// </summary>
    public IEnumerable<string> Generate(SampleOptions options)
    {
        var unknown = _vocabulary.FindUnknown(options.Prime ?? "");
        if (unknown.Count > 0) throw new UnknownCharactersException(unknown, "The prime");
        var problems = options.Problems(_vocabulary);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        return Draw(options.WithSeed());
    }

    private IEnumerable<string> Draw(SampleOptions options)
    {
        var random = new SeededRandom(options.Seed!.Value);
        _engine.Reset();
        var prime = _vocabulary.Encode(options.Prime);
        // With no prime there is nothing to condition on: start from a character drawn uniformly.
        var token = prime.Length == 0 ? (int)(random.NextDouble() * _vocabulary.Count) : prime[^1];
        if (prime.Length == 0) { yield return _vocabulary[token]; }
        for (var i = 0; i < prime.Length - 1; i++) _engine.Step(prime[i]);

        var remaining = prime.Length == 0 ? options.Length - 1 : options.Length;
        for (var n = 0; n < remaining; n++)
        {
            var logits = _engine.Step(token);
            token = Choose(logits, options.Temperature, options.TopK, random);
            yield return _vocabulary[token];
        }
    }

    private int Choose(ReadOnlySpan<float> logits, double temperature, int? topK, SeededRandom random)
    {
        var count = logits.Length;
        int kept = topK is { } k && k < count ? k : count;
        logits.CopyTo(_scores);
        if (kept < count) SelectTop(kept);
        else for (var i = 0; i < count; i++) _order[i] = i;

        // softmax(logits / T) over the kept ids, shifted by the largest logit for numerical safety; PortableMath.Exp,
        // so the browser draws the same character from the same logits.
        var max = double.NegativeInfinity;
        for (var i = 0; i < kept; i++) max = Math.Max(max, _scores[_order[i]]);
        double total = 0;
        for (var i = 0; i < kept; i++)
        {
            _probabilities[i] = PortableMath.Exp((_scores[_order[i]] - max) / temperature);
            total += _probabilities[i];
        }

        var target = random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            target -= _probabilities[i];
            if (target < 0) return _order[i];
        }
        return _order[kept - 1];
    }

    /// <summary>
    /// Puts the <paramref name="kept"/> best ids first in <see cref="_order"/>, best first: higher logit, ties to the lower
    /// id, so the order never depends on an algorithm's stability. Insertion into a short list: k·n compares, no delegate
    /// calls, which matters in the browser's interpreter where a full sort per character was a visible cost.
    /// </summary>
    private void SelectTop(int kept)
    {
        var filled = 0;
        for (var id = 0; id < _scores.Length; id++)
        {
            var score = _scores[id];
            if (filled == kept && !(score > _scores[_order[kept - 1]])) continue; // ties keep the lower id already listed
            var at = filled < kept ? filled++ : kept - 1;
            while (at > 0 && score > _scores[_order[at - 1]])
            {
                _order[at] = _order[at - 1];
                at--;
            }
            _order[at] = id;
        }
    }
}
