using System.Text.Json;
using CharRnn.Inference.Sampling;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Sweeps;

/// <summary>
/// Creates, lists, shows, cancels and reruns sweeps, and promotes a stopped trial: what the pages and the REST API both
/// do. Creating one queues every trial as an ordinary run linked to the sweep; the queue trains up to the sweep's
/// concurrency of them at once (<see cref="TrainingQueue"/>), and <see cref="SweepJudge"/> stops the poor ones early.
/// </summary>
public sealed class SweepService(IDbContextFactory<StudioDbContext> db, RunService runs, RunRules rules, TrainingQueue queue, TrainingEstimator estimator,
    IOptions<StudioOptions> studio)
{
    /// <summary>Queues a sweep's trials; refuses it with every problem, queuing nothing, when the request or any trial does not fit.</summary>
    public async Task<Result<SweepDto>> CreateAsync(CreateSweepRequest request, CancellationToken ct = default)
    {
        var checkedTrials = await CheckAsync(request, ct);
        if (!checkedTrials.Ok) return checkedTrials.Failure!;
        var (book, seed, trials, trialOptions) = checkedTrials.Value;
        if (runs.DiskProblem() is { } disk) return Failure.Invalid(disk);
        await using var context = await db.CreateDbContextAsync(ct);
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"{book.Name} sweep" : request.Name.Trim();
        var sweep = new Sweep
        {
            BookId = book.Id, Name = name, Concurrency = request.Concurrency, CreatedAt = DateTime.UtcNow,
            RequestJson = SweepRequests.Write(request with { Seed = seed, Trials = trials!.Count }),
        };
        context.Sweeps.Add(sweep);
        await context.SaveChangesAsync(ct);
        for (var i = 0; i < trials.Count; i++)
        {
            var run = runs.NewRun(book, trialOptions[i], $"{name} #{i + 1}: {trials[i].Describe()}");
            (run.SweepId, run.TrialIndex, run.TrialJson) = (sweep.Id, i, JsonSerializer.Serialize(trials[i].ToJson(), ContractsJson.Options));
            context.Runs.Add(run);
        }
        await context.SaveChangesAsync(ct);
        queue.Wake();
        return await ToDtoAsync(context, sweep, ct);
    }

    /// <summary>The request's book, seed, trials and each trial's options; or every problem with them, so that nothing is queued.</summary>
    private async Task<Result<(Book Book, int Seed, IReadOnlyList<SweepPlan.Trial> Trials, IReadOnlyList<TrainingOptions> Options)>> CheckAsync(
        CreateSweepRequest request, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([request.BookId], ct) is not { } book) return Failure.Invalid($"There is no book {request.BookId}.");
        var (start, problems) = await BaseOptionsAsync(context, request.Base, ct);
        var seed = request.Seed ?? SeededRandom.NewSeed();
        var (trials, planProblems) = SweepPlan.Trials(request, seed, studio.Value.Limits);
        problems = [.. problems, .. planProblems];
        if (runs.NameProblem(request.Name) is { } tooLong) problems = [.. problems, tooLong];
        if (problems.Count > 0) return Failure.Invalid(problems);

        // One seed for every trial, so that trials differ only in the swept options.
        start = start! with { Seed = start.Seed ?? seed };
        var options = trials!.Select(t => t.Apply(start)).ToList();
        var trialProblems = options.Select((o, i) => (i, rules.Problems(o, book.Characters, book.AlphabetSize)))
            .Where(p => p.Item2.Count > 0).Select(p => $"Trial {p.i + 1} ({trials![p.i].Describe()}): {string.Join(" ", p.Item2)}").ToList();
        if (trialProblems.Count > 0) return Failure.Invalid(trialProblems);
        return (book, seed, trials!, options);
    }

    /// <summary>
    /// How long the sweep would take on this server: each distinct trial shape timed as a run's estimate is (once, then
    /// cached), with the threads it would get beside its peers, the sum divided by the trials at once.
    /// </summary>
    public async Task<Result<SweepEstimate>> EstimateAsync(CreateSweepRequest request, CancellationToken ct = default)
    {
        var checkedTrials = await CheckAsync(request, ct);
        if (!checkedTrials.Ok) return checkedTrials.Failure!;
        var (book, _, _, options) = checkedTrials.Value;
        var (seconds, steps, measured, basis) = (0.0, 0L, true, "");
        foreach (var trial in options)
        {
            var threads = studio.Value.ThreadsFor(trial, request.Concurrency);
            var estimate = await estimator.EstimateAsync(trial with { Threads = threads }, book.Characters, book.AlphabetSize, ct);
            (seconds, steps, measured, basis) = (seconds + (estimate.Seconds ?? 0), steps + estimate.Steps, measured && estimate.Measured, estimate.Basis);
        }
        var wall = seconds / request.Concurrency;
        double? stopping = request.EarlyStopping is { } asha ? wall * SuccessiveHalving.ExpectedShare(asha, options.Count) : null;
        return new SweepEstimate(options.Count, steps, wall, stopping, measured, basis);
    }

    /// <summary>The options every trial starts from: a preset's or a run's, with the base's options laid over them.</summary>
    private static async Task<(TrainingOptions? Options, IReadOnlyList<string> Problems)> BaseOptionsAsync(StudioDbContext context, SweepBase? given, CancellationToken ct)
    {
        given ??= new SweepBase();
        if (given.Preset is not null && given.RunId is not null) return (null, ["The base is a preset or a run, not both."]);
        TrainingOptions start;
        if (given.RunId is { } runId)
        {
            if (await context.Runs.FindAsync([runId], ct) is not { } run) return (null, [$"The base run {runId} does not exist."]);
            start = run.Options with { Seed = null, MaxSteps = null };
        }
        else
        {
            var (preset, problem) = TrainingPresets.Requested(given.Preset);
            if (preset is null) return (null, [problem!]);
            start = preset.Options;
        }
        return CreateRunRequest.LayOver(start, given.Options);
    }

    public async Task<IReadOnlyList<SweepDto>> ListAsync(CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var sweeps = await context.Sweeps.OrderByDescending(s => s.Id).ToListAsync(ct);
        var list = new List<SweepDto>();
        foreach (var sweep in sweeps) list.Add(await ToDtoAsync(context, sweep, ct));
        return list;
    }

    public async Task<Result<SweepDto>> GetAsync(int sweepId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Sweeps.FindAsync([sweepId], ct) is { } sweep ? await ToDtoAsync(context, sweep, ct) : NoSuchSweep(sweepId);
    }

    /// <summary>Takes the queued trials off the queue and stops the running ones with a checkpoint; the sweep is then cancelled.</summary>
    public async Task<Result> CancelAsync(int sweepId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Sweeps.FindAsync([sweepId], ct) is not { } sweep) return NoSuchSweep(sweepId);
        sweep.Cancelled = true;
        await context.SaveChangesAsync(ct);
        var active = await context.Runs.Where(r => r.SweepId == sweepId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var runId in active) await runs.CancelAsync(runId, ct);
        return Result.Done;
    }

    /// <summary>Queues the failed and interrupted trials again, each from its newest checkpoint; the sweep runs on.</summary>
    public async Task<Result<int>> RerunFailedAsync(int sweepId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Sweeps.FindAsync([sweepId], ct) is not { } sweep) return NoSuchSweep(sweepId);
        var failed = await context.Runs.Where(r => r.SweepId == sweepId && (r.Status == RunStatus.Failed || r.Status == RunStatus.Interrupted))
            .Select(r => r.Id).ToListAsync(ct);
        if (failed.Count == 0) return Failure.Conflict("No trial of this sweep failed or was interrupted: there is nothing to rerun.");
        sweep.Cancelled = false;
        await context.SaveChangesAsync(ct);
        foreach (var runId in failed) await runs.ResumeAsync(runId, ct);
        return failed.Count;
    }

    /// <summary>Continues a trial that successive halving stopped, from its checkpoint at the rung; resumed, it is promoted and not stopped again.</summary>
    public async Task<Result> PromoteAsync(int sweepId, int runId, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.FindAsync([runId], ct) is not { } run || run.SweepId != sweepId)
            return Failure.NotFound($"Sweep {sweepId} has no trial {runId}.");
        if (run.Status != RunStatus.Stopped) return Failure.Conflict($"The trial is {run.Status.Name()}; only a trial its sweep stopped early can be promoted.");
        (await context.Sweeps.FindAsync([sweepId], ct))!.Cancelled = false;
        await context.SaveChangesAsync(ct);
        return await runs.ResumeAsync(runId, ct);
    }

    private static async Task<SweepDto> ToDtoAsync(StudioDbContext context, Sweep sweep, CancellationToken ct)
    {
        var trials = await context.Runs.Where(r => r.SweepId == sweep.Id).OrderBy(r => r.TrialIndex).ToListAsync(ct);
        var rungs = (await context.RungResults.Where(r => r.SweepId == sweep.Id).ToListAsync(ct)).ToLookup(r => r.RunId);
        var status = sweep.Cancelled ? SweepStatus.Cancelled
            : trials.Any(t => t.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Interrupted) ? SweepStatus.Running
            : SweepStatus.Completed;
        var best = trials.Where(t => t.BestValLoss is not null).MinBy(t => t.BestValLoss);
        return new SweepDto(sweep.Id, sweep.BookId, sweep.Name, status, SweepRequests.Read(sweep.RequestJson),
            trials.Select(t => new TrialDto(t.Id, t.TrialIndex ?? 0,
                JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(t.TrialJson ?? "{}", ContractsJson.Options)!,
                t.Status, t.BestValLoss, t.Step, t.TotalSteps, t.StoppedAtStep, t.StopReason, t.Promoted,
                rungs[t.Id].OrderBy(r => r.Rung).Select(r => new RungDto(r.Rung, r.Step, r.ValLoss, r.Place, r.Of, r.Kept, r.Continued)).ToList())).ToList(),
            best?.Id, sweep.CreatedAt);
    }

    private static Failure NoSuchSweep(int sweepId) => Failure.NotFound($"There is no sweep {sweepId}.");
}
