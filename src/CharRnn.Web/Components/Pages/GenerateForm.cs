using System.Diagnostics;
using System.Text;

namespace CharRnn.Web.Components.Pages;

/// <summary>The Generate page's state: the request being edited, and the text as it streams in.</summary>
public sealed class GenerateForm
{
    public int CheckpointId { get; set; }
    public string Prime { get; set; } = "The ";
    public int Length { get; set; } = 1000;
    public double Temperature { get; set; } = 0.8;
    public int? TopK { get; set; } = 5;
    public int? Seed { get; set; }

    private readonly StringBuilder _text = new();
    private readonly Stopwatch _clock = new();
    private int _drawn;

    public string Text => _text.ToString();
    public bool Streaming { get; private set; }
    public int? UsedSeed { get; private set; }
    public double CharsPerSecond => _clock.Elapsed.TotalSeconds > 0 ? _drawn / _clock.Elapsed.TotalSeconds : 0;

    public Apis.SampleRequest Request() => new(CheckpointId, Prime, Length, Temperature, TopK, Seed);

    public void Begin(int seed)
    {
        _text.Clear();
        _drawn = 0;
        UsedSeed = seed;
        Streaming = true;
        _clock.Restart();
    }

    /// <summary>Appends a streamed chunk; the first one begins with the prime, which is not counted as drawn.</summary>
    public void Append(string chunk)
    {
        var isFirst = _text.Length == 0;
        _text.Append(chunk);
        _drawn += chunk.EnumerateRunes().Count() - (isFirst ? Prime.EnumerateRunes().Count() : 0);
    }

    public void End()
    {
        Streaming = false;
        _clock.Stop();
    }
}
