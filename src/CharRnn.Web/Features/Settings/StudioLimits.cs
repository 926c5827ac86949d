namespace CharRnn.Web.Features.Settings;

/// <summary>
/// What one request may ask of the server (<c>CharRnn:Limits</c>). Each refusal names the setting that raises it,
/// so a person running the app for themselves can lift a limit that gets in their way.
/// </summary>
public sealed class StudioLimits
{
    public const string Section = "CharRnn:Limits";

    /// <summary>Units in a layer.</summary>
    public int MaxHidden { get; set; } = 2048;
    public int MaxLayers { get; set; } = 6;
    /// <summary>Characters in one batch (batch size × sequence length): a batch lives in memory several times over during a step.</summary>
    public long MaxBatchCharacters { get; set; } = 262_144;
    public int MaxEpochs { get; set; } = 1000;
    /// <summary>Steps in a whole run.</summary>
    public long MaxTotalSteps { get; set; } = 1_000_000;
    /// <summary>Distinct characters of a book a run trains on: the width of the one-hot input and of the output layer.</summary>
    public int MaxVocabulary { get; set; } = 4096;
    /// <summary>Characters of a sampling prime.</summary>
    public int MaxPrimeCharacters { get; set; } = 10_000;
    /// <summary>Characters drawn by one sampling request.</summary>
    public int MaxSampleLength { get; set; } = 100_000;
    /// <summary>Samplings on the server at once, from everyone.</summary>
    public int MaxConcurrentSamplings { get; set; } = 8;
    /// <summary>Samplings on the server at once from one client address.</summary>
    public int MaxConcurrentSamplingsPerClient { get; set; } = 2;
    /// <summary>Characters of a text whose states the Inside page or <c>/api/checkpoints/{id}/states</c> reads, or in which a stretch is selected.</summary>
    public int MaxInsideCharacters { get; set; } = 5_000;
    /// <summary>Series (layer × quantity × unit) in one states response: each is a value per character.</summary>
    public int MaxInsideSeries { get; set; } = 64;
    /// <summary>Characters of the held-out passage that Discover correlates units over and where matches are sought.</summary>
    public int InsideHeldOutCharacters { get; set; } = 20_000;
    /// <summary>Trials in one sweep.</summary>
    public int MaxSweepTrials { get; set; } = 200;
    /// <summary>Trials of one sweep that train at once.</summary>
    public int MaxSweepConcurrency { get; set; } = 8;
    /// <summary>Characters of a run's or a book's name.</summary>
    public int MaxNameCharacters { get; set; } = 200;

    /// <summary>"… (setting CharRnn:Limits:Name raises it)."</summary>
    public static string Raise(string setting) => $"the setting {Section}:{setting} raises it";
}
