using CharRnn.Inference.Sampling;

namespace CharRnn.Web.Client.Pages;

/// <summary>The Generate page's settings: what to draw from, how, and where. Its address is written from these (<see cref="SamplingAddress"/>).</summary>
public sealed class GenerateSettings
{
    public const int MaxVariations = 8;

    public int CheckpointId { get; set; }
    public string Prime { get; set; } = "The ";
    public int Length { get; set; } = 1000;
    public double Temperature { get; set; } = 0.8;
    /// <summary>Null draws from every character (the address says <c>topK=all</c>).</summary>
    public int? TopK { get; set; } = 5;
    /// <summary>Nucleus sampling's p; null draws from every character (after top-k).</summary>
    public double? TopP { get; set; }
    /// <summary>The passage ends as soon as it ends with one of these.</summary>
    public IReadOnlyList<string> Stop { get; set; } = [];
    /// <summary><see cref="Stop"/> as the form shows and reads it (<see cref="StopSequences"/>).</summary>
    public string StopText
    {
        get => StopSequences.Format(Stop);
        set => Stop = StopSequences.Parse(value);
    }
    /// <summary>A beam search's width instead of drawing; null draws.</summary>
    public int? Beam { get; set; }
    /// <summary>Null draws a new seed each time; the one drawn is shown, and written into the address.</summary>
    public int? Seed { get; set; }
    public SamplingPlace Where { get; set; } = SamplingPlace.Server;
    /// <summary>Passages to draw from one prime with seeds seed, seed + 1, …: more than one are drawn together on the server.</summary>
    public int Variations { get; set; } = 1;

    /// <summary>Takes the settings an address gives; what it leaves out keeps the page's defaults (a missing <c>topK</c> too; <c>topK=all</c> is no top-k).</summary>
    public void Read(string? prime, int? length, string? temperature, string? topK, int? seed, int? variations, string? topP = null, string[]? stop = null, int? beam = null)
    {
        Beam = beam is >= 1 and <= BeamSearch.MaxWidth ? beam : Beam;
        TopP = SamplingAddress.ReadTopP(topP) ?? TopP;
        Stop = stop is { Length: > 0 } ? stop : Stop;
        Prime = prime ?? Prime;
        Length = length ?? Length;
        Temperature = SamplingAddress.ReadNumber(temperature) ?? Temperature;
        TopK = SamplingAddress.ReadTopK(topK, absent: TopK);
        Seed = seed ?? Seed;
        Variations = Math.Clamp(variations ?? Variations, 1, MaxVariations);
    }

    /// <summary>The address of these settings; <paramref name="seed"/> when the form has none (the seed of the text shown).</summary>
    public string Address(int? seed) =>
        SamplingAddress.Generate(CheckpointId, Prime, Length, Temperature, TopK, Seed ?? seed, Where, TopP, Stop, Beam) + (Variations > 1 ? $"&variations={Variations}" : "");

    public SampleRequest Request(int seed) => new(CheckpointId, Prime, Length, Temperature, TopK, seed, TopP, Stop.Count > 0 ? Stop : null, Beam);

    public VariationsRequest VariationsRequest(int seed) =>
        new(CheckpointId, Prime, Length, Temperature, TopK, seed, Math.Clamp(Variations, 1, MaxVariations), TopP, Stop.Count > 0 ? Stop : null, Beam);
}
