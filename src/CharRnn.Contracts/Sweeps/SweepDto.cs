using System.Text.Json;

namespace CharRnn.Contracts;

/// <summary>A sweep as <c>GET /api/sweeps/{id}</c> shows it: its request, its trials, and the best of them.</summary>
/// <param name="BestRunId">The trial with the lowest whole-split validation loss so far.</param>
public sealed record SweepDto(int Id, int BookId, string Name, SweepStatus Status, CreateSweepRequest Request, IReadOnlyList<TrialDto> Trials,
    int? BestRunId, DateTime CreatedAt);

/// <summary>One trial: its run, the values it tries, how far it got, and each rung it reached.</summary>
/// <param name="Parameters">The swept options' values, by JSON name, as the API writes them.</param>
/// <param name="Reason">Why successive halving stopped it, in a sentence; null while it goes on.</param>
/// <param name="Promoted">Continued by hand after a stop: successive halving no longer stops it.</param>
public sealed record TrialDto(int RunId, int Index, Dictionary<string, JsonElement> Parameters, RunStatus Status, double? BestValLoss,
    long Step, long TotalSteps, long? StoppedAtStep, string? Reason, bool Promoted, IReadOnlyList<RungDto> Rungs);

/// <summary>A trial at a rung: its whole-split loss, its place among the trials that had reached the rung, and what the rung kept.</summary>
/// <param name="Rung">1 for the first.</param>
/// <param name="Kept">The worst loss the rung kept at the time: the trial went on if its loss was at most this.</param>
public sealed record RungDto(int Rung, long Step, double ValLoss, int Place, int Of, double Kept, bool Continued)
{
    /// <summary>"rung 2 (step 1,200): 1.234, 3rd of 5; the rung kept ≤ 1.200": where the trial stood, for the trials table and a stop's reason alike.</summary>
    public string Standing() => $"rung {Rung} (step {Step:N0}): {ValLoss:F3}, {Ordinal(Place)} of {Of}; the rung kept ≤ {Kept:F3}";

    /// <summary>1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.</summary>
    public static string Ordinal(int n) => n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
