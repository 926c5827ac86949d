using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// The one place where a sweep's early stopping is decided: at each rung a trial reaches, its whole-split loss is set
/// beside the other trials' at that rung (<see cref="SuccessiveHalving"/>), and the result, the decision and any reason
/// are stored. It runs where the trial trains (the in-process queue, or a Slurm job's worker), on the shared store, so
/// every trial is judged by the same rule against the same records wherever it runs; the process that asked stops the
/// trial itself (<c>ActiveRun.StopEarly</c>), with no round trip through the store.
/// </summary>
public sealed class SweepJudge(IDbContextFactory<StudioDbContext> db)
{
    /// <summary>The steps at which the trial must be evaluated on the whole split (its rungs); empty for a run that is no trial of an early-stopping sweep.</summary>
    public IReadOnlySet<long> RungSteps(Run run)
    {
        if (run.SweepId is not { } sweepId) return new HashSet<long>();
        using var context = db.CreateDbContext();
        var sweep = context.Sweeps.Single(s => s.Id == sweepId);
        return SweepRequests.Read(sweep.RequestJson).EarlyStopping is { } stopping
            ? SuccessiveHalving.RungSteps(stopping, run.TotalSteps).ToHashSet()
            : new HashSet<long>();
    }

    /// <summary>
    /// Judges a whole-split evaluation of <paramref name="runId"/> at <paramref name="step"/>: null when the step is no
    /// rung of the trial, or the rung was already judged (a resumed trial evaluates it again); else the decision, stored.
    /// </summary>
    public RungDecision? Judge(int runId, long step, double valLoss)
    {
        using var context = db.CreateDbContext();
        var run = context.Runs.AsNoTracking().Single(r => r.Id == runId);
        if (run.SweepId is not { } sweepId) return null;
        var sweep = context.Sweeps.AsNoTracking().Single(s => s.Id == sweepId);
        if (SweepRequests.Read(sweep.RequestJson).EarlyStopping is not { } stopping) return null;
        var rungs = SuccessiveHalving.RungSteps(stopping, run.TotalSteps);
        var rung = rungs.ToList().IndexOf(step) + 1;
        if (rung < 1 || context.RungResults.Any(r => r.RunId == runId && r.Rung == rung)) return null;

        var others = context.RungResults.Where(r => r.SweepId == sweepId && r.Rung == rung && r.RunId != runId).Select(r => r.ValLoss).ToList();
        var decision = SuccessiveHalving.Decide(rung, step, valLoss, others, stopping.Eta, last: rung == rungs.Count, run.Promoted);
        context.RungResults.Add(new RungResult
        {
            SweepId = sweepId, RunId = runId, Rung = rung, Step = step, ValLoss = valLoss,
            Place = decision.Standing.Place, Of = decision.Standing.Of, Kept = decision.Standing.Kept, Continued = decision.GoesOn,
        });
        context.SaveChanges();
        return decision;
    }
}
