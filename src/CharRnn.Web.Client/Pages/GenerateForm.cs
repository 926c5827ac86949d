using System.Diagnostics;
using System.Text;

namespace CharRnn.Web.Client.Pages;

/// <summary>The Generate page's state: the request being edited, where it is sampled, and the text as it streams in.</summary>
public sealed class GenerateForm
{
    public int CheckpointId { get; set; }
    public string Prime { get; set; } = "The ";
    public int Length { get; set; } = 1000;
    public double Temperature { get; set; } = 0.8;
    public int? TopK { get; set; } = 5;
    public int? Seed { get; set; }
    /// <summary><c>browser</c> (this page samples, no request reaches the server) or <c>server</c> (streamed from /hubs/sampling).</summary>
    public string Where { get; set; } = "server";
    /// <summary>Passages to draw from one prime with seeds seed, seed + 1, …: more than one are drawn together on the server.</summary>
    public int Variations { get; set; } = 1;
    public const int MaxVariations = 8;

    /// <summary>Each variation's text as it streams in (its first chunk begins with the prime), by index; empty for a single passage.</summary>
    public List<(int Seed, StringBuilder Text)> VariationTexts { get; } = [];

    private readonly StringBuilder _text = new();
    private readonly Stopwatch _clock = new();
    private int _drawn;

    public string Text => _text.ToString();
    public bool Streaming { get; private set; }
    public int? UsedSeed { get; private set; }
    public double CharsPerSecond => _clock.Elapsed.TotalSeconds > 0 ? _drawn / _clock.Elapsed.TotalSeconds : 0;

    public SampleRequest Request() => new(CheckpointId, Prime, Length, Temperature, TopK, Seed);

    /// <summary>The options the sampler draws with: the seed given, or a new one, which is then shown so the text can be drawn again.</summary>
    public Inference.SampleOptions Options() => new Inference.SampleOptions(Prime, Length, Temperature, TopK, Seed).WithSeed();

    public void Begin(int seed)
    {
        _text.Clear();
        VariationTexts.Clear();
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

    /// <summary>Appends a chunk of variation <paramref name="index"/>; the prime (in each first chunk) is not counted as drawn.</summary>
    public void AppendVariation(int index, int seed, string chunk)
    {
        while (VariationTexts.Count <= index) VariationTexts.Add((0, new StringBuilder()));
        var (_, text) = VariationTexts[index];
        var isFirst = text.Length == 0;
        VariationTexts[index] = (seed, text.Append(chunk));
        _drawn += chunk.EnumerateRunes().Count() - (isFirst ? Prime.EnumerateRunes().Count() : 0);
    }

    /// <summary>Appends characters drawn here (the prime is written by <see cref="Begin"/>'s caller first).</summary>
    public void AppendDrawn(string characters, int count)
    {
        _text.Append(characters);
        _drawn += count;
    }

    public void End()
    {
        Streaming = false;
        _clock.Stop();
    }
}
