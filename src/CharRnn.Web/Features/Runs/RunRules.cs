using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Runs;

/// <summary>
/// What this server accepts as a run for a book: the options' own bounds (<see cref="TrainingOptions.Problems"/>), the
/// limits of <c>CharRnn:Limits</c> (each refusal names the setting that raises it) and the device. The API, the New run
/// page and its estimate all ask here.
/// </summary>
public sealed class RunRules(IOptionsMonitor<StudioOptions> studio, RunDevices devices)
{
    public IReadOnlyList<string> Problems(TrainingOptions options, int characters, int alphabetSize)
    {
        var limits = studio.CurrentValue.Limits;
        var problems = new List<string>();
        void Limit(long value, long max, string what, string setting)
        {
            if (value > max) problems.Add($"{what} is {value:N0}; the limit is {max:N0} ({StudioLimits.Raise(setting)}).");
        }
        Limit(options.Hidden, limits.MaxHidden, "Hidden size", nameof(limits.MaxHidden));
        Limit(options.Layers, limits.MaxLayers, "Layers", nameof(limits.MaxLayers));
        Limit((long)options.BatchSize * options.SequenceLength, limits.MaxBatchCharacters, "Batch size × sequence length", nameof(limits.MaxBatchCharacters));
        Limit(options.Epochs, limits.MaxEpochs, "Epochs", nameof(limits.MaxEpochs));
        Limit(alphabetSize, limits.MaxVocabulary, "The book's alphabet (distinct characters)", nameof(limits.MaxVocabulary));
        if (problems.Count > 0) return problems; // the options' own checks would repeat these in other words
        problems.AddRange(options.Problems(characters));
        if (problems.Count == 0) Limit(options.TotalSteps(characters), limits.MaxTotalSteps, "The run's total steps", nameof(limits.MaxTotalSteps));
        if (devices.Problem(options.Device) is { } device) problems.Add(device);
        return problems;
    }
}
