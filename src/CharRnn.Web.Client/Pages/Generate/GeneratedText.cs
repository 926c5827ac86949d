using System.Diagnostics;
using System.Text;

namespace CharRnn.Web.Client.Pages;

/// <summary>What the Generate page has drawn: the text as it streams in (or each variation's), the seed it used, and the rate.</summary>
public sealed class GeneratedText
{
    private readonly StringBuilder _text = new();
    private readonly Stopwatch _clock = new();
    private int _drawn;
    private int _primeLength;

    /// <summary>Each variation's text as it streams in (its first chunk begins with the prime), by index; empty for a single passage.</summary>
    public List<(int Seed, StringBuilder Text)> Variations { get; } = [];

    public string Text => _text.ToString();
    public bool Streaming { get; private set; }
    /// <summary>How many passages this page has begun: tells one finished passage from the next when both read the same.</summary>
    public int Passages { get; private set; }
    /// <summary>The settings the text shown was drawn with, seed included; null before the first passage.</summary>
    public SampleRequest? Drawn { get; private set; }
    /// <summary>Where the text shown was drawn.</summary>
    public SamplingPlace? Where { get; private set; }
    public double CharsPerSecond => _clock.Elapsed.TotalSeconds > 0 ? _drawn / _clock.Elapsed.TotalSeconds : 0;

    public void Begin(SampleRequest drawn, SamplingPlace where)
    {
        _text.Clear();
        Variations.Clear();
        _drawn = 0;
        _primeLength = (drawn.Prime ?? "").EnumerateRunes().Count();
        (Drawn, Where, Streaming, EndedBy) = (drawn, where, true, null);
        Passages++;
        _clock.Restart();
    }

    /// <summary>Appends a streamed chunk; the first one begins with the prime, which is not counted as drawn.</summary>
    public void Append(string chunk)
    {
        var isFirst = _text.Length == 0;
        _text.Append(chunk);
        _drawn += chunk.EnumerateRunes().Count() - (isFirst ? _primeLength : 0);
    }

    /// <summary>Appends a chunk of variation <paramref name="index"/>; the prime (in each first chunk) is not counted as drawn.</summary>
    public void AppendVariation(int index, int seed, string chunk)
    {
        while (Variations.Count <= index) Variations.Add((0, new StringBuilder()));
        var (_, text) = Variations[index];
        var isFirst = text.Length == 0;
        Variations[index] = (seed, text.Append(chunk));
        _drawn += chunk.EnumerateRunes().Count() - (isFirst ? _primeLength : 0);
    }

    /// <summary>Appends characters drawn here (the prime is appended first with a count of 0).</summary>
    public void AppendDrawn(string characters, int count)
    {
        _text.Append(characters);
        _drawn += count;
    }

    /// <summary>Why the text shown ended; null while it streams.</summary>
    public SampleEnding? EndedBy { get; private set; }

    /// <summary>
    /// The passage is over: <paramref name="endedBy"/> when the sampler said why, else from the stream: stopped by the
    /// reader, or complete, where a passage shorter than its length can only have ended at a stop.
    /// </summary>
    public void End(SampleEnding? endedBy = null, bool cancelled = false)
    {
        Streaming = false;
        _clock.Stop();
        EndedBy = endedBy ?? (cancelled ? SampleEnding.Cancelled : Drawn is { } d && _drawn < d.Length && Variations.Count == 0 ? SampleEnding.Stop : SampleEnding.Length);
    }
}
