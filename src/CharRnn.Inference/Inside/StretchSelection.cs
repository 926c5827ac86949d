using System.Numerics;
using CharRnn.Contracts;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Inside;

/// <summary>
/// LSTMVis's select-and-match (Strobelt et al.): a person selects a stretch of text; the units of one layer and quantity
/// that are on (at or above a threshold) across all of it and off just before and after it are found; then the places
/// in the held-out passage where those units are on together are ranked, as LSTMVis's match view ranks them: most of
/// them on throughout, then the fewest other units on, then the longest.
/// </summary>
public static class StretchSelection
{
    public const int MaxMatches = 50;

    /// <summary>A match's text is cut to this many characters.</summary>
    public const int MatchTextCharacters = 200;

    /// <param name="heldOut">Where matches are sought; the stretch is in it when <paramref name="text"/> is null.</param>
    /// <param name="start">The stretch's first character (a code point's index) in <paramref name="text"/> or the held-out passage.</param>
    /// <exception cref="ArgumentException">The stretch, layer or threshold is out of range; the message says which.</exception>
    public static SelectionResponse Select(LstmWeights weights, string heldOut, string? text, int start, int length, int layer, StateQuantity quantity,
        double threshold, int pieces = 1, int threads = 1, CancellationToken ct = default)
    {
        var hidden = weights.Config.Hidden;
        if (weights.Config.LayerProblem(layer) is { } problem) throw new ArgumentException(problem, nameof(layer));
        if (threshold is not (> 0 and < 1)) throw new ArgumentException($"The threshold must be between 0 and 1, exclusive; it was {threshold}.");
        var heldOutCharacters = TextFeatures.Characters(heldOut);
        var characters = text is null ? heldOutCharacters : TextFeatures.Characters(text);
        if (length < 1 || start < 0 || start + length > characters.Length)
            throw new ArgumentException($"The stretch (start {start}, length {length}) must lie within the text's {characters.Length:N0} characters and hold one at least.");

        // The shown values just before, across and just after the stretch (index 0 is the character before it).
        var window = new float[length + 2][];
        void Collect(int position, int l, ReadOnlySpan<float> state)
        {
            if (l != layer || position < start - 1 || position > start + length) return;
            LayerStates.Shown(state, quantity, hidden, window[position - start + 1] = new float[hidden]);
        }
        var on = new OnUnits(heldOutCharacters.Length, hidden, threshold);
        void Mark(int position, int l, ReadOnlySpan<float> state) { if (l == layer) on.Add(position, state, quantity); }

        // The stretch is read as the page reads it, in one piece from the text's start (as far as just after the stretch);
        // the held-out passage, in pieces side by side, for the matches.
        // Characters the model lacks are read past, in the stretch as in the passage (an imported checkpoint's model may
        // lack some of a book's).
        var heldOutTokens = weights.Vocabulary.Encode(heldOut, UnknownCharacters.ReadPast);
        var tokens = text is null ? heldOutTokens : weights.Vocabulary.Encode(text, UnknownCharacters.ReadPast);
        StateWalk.Walk(weights, tokens[..Math.Min(tokens.Length, start + length + 1)], Collect, pieces: 1, threads: threads, layers: [layer], ct: ct);
        StateWalk.Walk(weights, heldOutTokens, Mark, pieces, threads: threads, layers: [layer], ct: ct);

        var found = FindUnits(window, threshold);
        var exclude = text is null ? (start, length) : ((int, int)?)null;
        var matches = on.Matches(found.Select(u => u.Unit).ToList(), exclude, heldOutCharacters);
        return new SelectionResponse(found, matches, heldOutCharacters.Length, Vocabulary.ReadPastPositions(tokens));
    }

    /// <summary>Units at or above the threshold at every character of window[1..^1] and below it at window[0] and window[^1] where those exist; cleanest first.</summary>
    internal static IReadOnlyList<FoundUnit> FindUnits(float[]?[] window, double threshold)
    {
        var (before, after) = (window[0], window[^1]);
        var stretch = window[1..^1];
        var found = new List<FoundUnit>();
        for (var unit = 0; unit < stretch[0]!.Length; unit++)
        {
            var lowest = stretch.Min(values => values![unit]);
            if (lowest < threshold) continue;
            if (before is not null && before[unit] >= threshold || after is not null && after[unit] >= threshold) continue;
            var outside = Math.Max(before?[unit] ?? float.MinValue, after?[unit] ?? float.MinValue);
            found.Add(new FoundUnit(unit, lowest, lowest - (outside == float.MinValue ? threshold : outside)));
        }
        return found.OrderByDescending(u => u.Margin).ThenBy(u => u.Unit).ToList();
    }

    /// <summary>Which units of the layer are on at each position of the held-out passage, a bit each (64 bytes a character for 512 units).</summary>
    private sealed class OnUnits(int positions, int hidden, double threshold)
    {
        private readonly int _words = (hidden + 63) / 64;
        private readonly ulong[] _bits = new ulong[positions * ((hidden + 63) / 64)];
        private readonly float[] _shown = new float[hidden];

        public void Add(int position, ReadOnlySpan<float> state, StateQuantity quantity)
        {
            LayerStates.Shown(state, quantity, hidden, _shown);
            var row = _bits.AsSpan(position * _words, _words);
            for (var unit = 0; unit < hidden; unit++)
                if (_shown[unit] >= threshold) row[unit >> 6] |= 1UL << (unit & 63);
        }

        private bool IsOn(int position, int unit) => (_bits[position * _words + (unit >> 6)] & (1UL << (unit & 63))) != 0;

        /// <summary>
        /// Each longest run of positions where one of <paramref name="units"/> at least is on, with the units on all
        /// through it, ranked; runs where none stays on throughout, and runs that overlap <paramref name="exclude"/>, are left out.
        /// </summary>
        public IReadOnlyList<StretchMatch> Matches(IReadOnlyList<int> units, (int Start, int Length)? exclude, string[] characters)
        {
            var matches = new List<StretchMatch>();
            if (units.Count == 0) return matches;
            var positions = characters.Length;
            for (var t = 0; t < positions;)
            {
                if (!units.Any(u => IsOn(t, u))) { t++; continue; }
                var end = t;
                while (end < positions && units.Any(u => IsOn(end, u))) end++;
                var overlaps = exclude is { } x && t < x.Start + x.Length && x.Start < end;
                var shared = units.Count(u => Enumerable.Range(t, end - t).All(p => IsOn(p, u)));
                if (!overlaps && shared > 0) matches.Add(new StretchMatch(t, end - t, shared, Union(t, end), string.Concat(characters.Skip(t).Take(Math.Min(end - t, MatchTextCharacters)))));
                t = end;
            }
            return matches.OrderByDescending(m => m.Shared).ThenBy(m => m.Union).ThenByDescending(m => m.Length).ThenBy(m => m.Start).Take(MaxMatches).ToList();
        }

        private int Union(int start, int end)
        {
            var union = new ulong[_words];
            for (var p = start; p < end; p++)
                for (var w = 0; w < _words; w++) union[w] |= _bits[p * _words + w];
            return union.Sum(w => BitOperations.PopCount(w));
        }
    }
}
