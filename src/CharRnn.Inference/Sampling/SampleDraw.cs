using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Sampling;

/// <summary>
/// One passage being drawn, as the notebook's <c>sample()</c> draws it, turned inside out: the caller steps a model with
/// <see cref="NextToken"/> and hands the logits to <see cref="Accept"/>. So one engine can drive it alone
/// (<see cref="Sampler"/>) and a batch can drive many at once (<see cref="LstmBatch"/>), each with exactly the same text.
/// </summary>
public sealed class SampleDraw
{
    private readonly Vocabulary _vocabulary;
    private readonly SampleOptions _options;
    private readonly SeededRandom _random;
    private readonly int[] _prime;
    private readonly float[] _scores;
    private readonly int[] _order;
    private readonly double[] _probabilities;
    private readonly int _toDraw;
    private int _primed;
    private int _drawn;
    private int _token;

    /// <param name="options">Checked options with a seed (<see cref="SampleOptions.WithSeed"/>, <see cref="SampleOptions.Problems"/>).</param>
    public SampleDraw(Vocabulary vocabulary, SampleOptions options)
    {
        if (options.Seed is not { } seed) throw new ArgumentException("The options need a seed: call WithSeed() first.", nameof(options));
        _vocabulary = vocabulary;
        _options = options;
        _random = new SeededRandom(seed);
        _prime = vocabulary.Encode(options.Prime);
        _scores = new float[vocabulary.Count];
        _order = new int[vocabulary.Count];
        _probabilities = new double[vocabulary.Count];
        if (_prime.Length == 0)
        {
            // With no prime there is nothing to condition on: start from a character drawn uniformly.
            _token = (int)(_random.NextDouble() * vocabulary.Count);
            First = vocabulary[_token];
            _toDraw = options.Length - 1;
        }
        else
        {
            _token = _prime[^1];
            _toDraw = options.Length;
        }
    }

    /// <summary>The character drawn before any step (when there is no prime), else null.</summary>
    public string? First { get; }

    /// <summary>The token to feed the model next: the prime's characters, then each drawn one.</summary>
    public int NextToken => _primed < _prime.Length - 1 ? _prime[_primed] : _token;

    /// <summary>Whether the last character has been drawn.</summary>
    public bool Finished => _drawn >= _toDraw;

    /// <summary>Characters drawn so far (not counting <see cref="First"/>).</summary>
    public int Drawn => _drawn;

    /// <summary>Takes the logits the model gave for <see cref="NextToken"/>; returns the character drawn, or null while priming.</summary>
    public string? Accept(ReadOnlySpan<float> logits)
    {
        if (Finished) throw new InvalidOperationException("The passage is already drawn.");
        if (_primed < _prime.Length - 1)
        {
            _primed++;
            return null;
        }
        _token = Choose(logits, _options.Temperature, _options.TopK);
        _drawn++;
        return _vocabulary[_token];
    }

    private int Choose(ReadOnlySpan<float> logits, double temperature, int? topK)
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

        var target = _random.NextDouble() * total;
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
