namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018, as Ray Tune and Optuna run it): when a trial reaches a rung, it
/// goes on if its loss is among the best 1/η of the losses recorded at that rung so far, itself included; otherwise it
/// stops there. Nothing waits for a rung to fill, so an early trial is judged against few others: the first to arrive
/// always goes on. With several trials at once, which one arrives first can change a decision; one at a time, the same
/// trials always get the same decisions.
/// </summary>
public static class SuccessiveHalving
{
    /// <summary>The steps of a trial's rungs, first to last: each rung's share of its <paramref name="totalSteps"/>, the last at its end.</summary>
    public static IReadOnlyList<long> RungSteps(EarlyStopping stopping, long totalSteps) =>
        stopping.Fractions.Select(f => Math.Clamp((long)Math.Round(totalSteps * f), 1, totalSteps)).Distinct().ToList();

    /// <summary>
    /// The share of the trials' steps successive halving is expected to train, if <paramref name="trials"/> reached each
    /// rung together: the best 1/η of those at a rung train on to the next. Asynchronous stopping keeps more of the
    /// trials that arrive early, so a sweep's real share is this or somewhat more.
    /// </summary>
    public static double ExpectedShare(EarlyStopping stopping, int trials)
    {
        var (fractions, work, reaching, previous) = (stopping.Fractions, 0.0, (double)trials, 0.0);
        foreach (var f in fractions)
        {
            work += reaching * (f - previous);
            (previous, reaching) = (f, Math.Max(1, Math.Ceiling(reaching / stopping.Eta)));
        }
        return work / trials;
    }

    /// <summary>What the rung decides for a trial whose loss there is <paramref name="loss"/>, beside <paramref name="others"/>' losses at the same rung.</summary>
    /// <param name="rung">1 for the first rung, as everywhere rungs are counted.</param>
    /// <param name="last">The trial's end: recorded, never stopped (nothing is left to save).</param>
    /// <param name="promoted">Continued by hand after a stop: recorded, never stopped again.</param>
    public static RungDecision Decide(int rung, long step, double loss, IReadOnlyCollection<double> others, int eta, bool last, bool promoted)
    {
        var sorted = others.Append(loss).Order().ToList();
        var place = 1 + others.Count(o => o < loss);
        var keep = (int)Math.Ceiling(sorted.Count / (double)eta);
        var kept = sorted[keep - 1];
        var standing = new RungDto(rung, step, loss, place, sorted.Count, kept, Continued: last || promoted || place <= keep);
        return new RungDecision(standing, standing.Continued ? null : $"Stopped at {standing.Standing()}, its best {keep} (1/{eta}).");
    }
}

/// <summary>A trial at a rung: where it stood there (its place, of how many, the worst loss the rung kept), and why it stops, or null when it goes on.</summary>
public sealed record RungDecision(RungDto Standing, string? Reason)
{
    public bool GoesOn => Standing.Continued;
}
