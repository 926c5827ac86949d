using System.Text;
using CharRnn.Contracts;
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
    private readonly StringBuilder _text = new(); // what was drawn, for the stops
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
            Drew(First);
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

    /// <summary>Whether the last character has been drawn: the length is reached, or the text ends with a stop.</summary>
    public bool Finished => EndedBy is not null;

    /// <summary>Why the passage ended once it has (<see cref="SampleEnding.Stop"/> or <see cref="SampleEnding.Length"/>), else null.</summary>
    public SampleEnding? EndedBy { get; private set; }

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
        _token = Choose(logits);
        _drawn++;
        var drawn = _vocabulary[_token];
        Drew(drawn);
        return drawn;
    }

    /// <summary>
    /// The distribution the next character is drawn from after <paramref name="logits"/>: softmax(logits / T) over the
    /// top k, then cut to the nucleus of top-p; zero for every character left out. What <see cref="Accept"/> draws from.
    /// </summary>
    public double[] Distribution(ReadOnlySpan<float> logits)
    {
        var (kept, total) = Keep(logits);
        var distribution = new double[logits.Length];
        for (var i = 0; i < kept; i++) distribution[_order[i]] = _probabilities[i] / total;
        return distribution;
    }

    /// <summary>Counts the drawn text towards its length and its stops.</summary>
    private void Drew(string text)
    {
        if (_options.Stops.Count > 0)
        {
            _text.Append(text);
            foreach (var stop in _options.Stops)
                if (EndsWith(_text, stop)) { EndedBy = SampleEnding.Stop; return; }
        }
        if (_drawn >= _toDraw) EndedBy = SampleEnding.Length;
    }

    private static bool EndsWith(StringBuilder text, string end)
    {
        if (text.Length < end.Length) return false;
        for (int i = end.Length - 1, j = text.Length - 1; i >= 0; i--, j--)
            if (text[j] != end[i]) return false;
        return true;
    }

    private int Choose(ReadOnlySpan<float> logits)
    {
        var (kept, total) = Keep(logits);
        var target = _random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            target -= _probabilities[i];
            if (target < 0) return _order[i];
        }
        return _order[kept - 1];
    }

    /// <summary>
    /// Leaves the characters a draw chooses from in <see cref="_order"/>, best first where top-k or top-p ordered them,
    /// with their unnormalised probabilities in <see cref="_probabilities"/>: how many, and their total.
    /// </summary>
    private (int Kept, double Total) Keep(ReadOnlySpan<float> logits)
    {
        var count = logits.Length;
        int kept = _options.TopK is { } k && k < count ? k : count;
        var nucleus = _options.TopP is { } p && p < 1;
        logits.CopyTo(_scores);
        if (kept < count || nucleus) SelectTop(kept);
        else for (var i = 0; i < count; i++) _order[i] = i;

        // softmax(logits / T) over the kept ids, shifted by the largest logit for numerical safety; PortableMath.Exp,
        // so the browser draws the same character from the same logits.
        var max = double.NegativeInfinity;
        for (var i = 0; i < kept; i++) max = Math.Max(max, _scores[_order[i]]);
        double total = 0;
        for (var i = 0; i < kept; i++)
        {
            _probabilities[i] = PortableMath.Exp((_scores[_order[i]] - max) / _options.Temperature);
            total += _probabilities[i];
        }
        if (!nucleus) return (kept, total);

        // The nucleus: the fewest likeliest characters whose probabilities reach p (the one that crosses p included).
        var enough = _options.TopP!.Value * total;
        double sum = 0;
        for (var i = 0; i < kept; i++)
        {
            sum += _probabilities[i];
            if (sum >= enough) return (i + 1, sum);
        }
        return (kept, sum);
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
