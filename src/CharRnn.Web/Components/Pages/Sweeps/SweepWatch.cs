using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Books;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Sweeps;
using Microsoft.AspNetCore.Components.Authorization;

namespace CharRnn.Web.Components.Pages;

/// <summary>
/// The sweep page's work apart from its markup: the sweep and its trials' validation curves, kept up to date from the
/// trials' training events (at most once a second: a tiny trial evaluates many times a second), the best trials'
/// checkpoints for Compare and Generate, and the owner's actions.
/// </summary>
public sealed class SweepWatch(SweepService sweeps, RunHistory history, CheckpointFiles checkpoints, BookService books, TrainingBroadcaster broadcaster,
    SweepLinks links, OwnerAccess access, Func<Func<Task>, Task> dispatch, Action redraw) : IDisposable
{
    private static readonly TimeSpan ReloadEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<int, IReadOnlyList<MetricDto>> _curves = [];
    private readonly Dictionary<int, long> _curveSteps = [];
    private IDisposable? _subscription;
    private HashSet<int> _trialRuns = [];
    private bool _reloadPending;
    private int _id;

    public SweepDto? Sweep { get; private set; }
    public bool Missing { get; private set; }
    public bool Owner { get; private set; }
    /// <summary>Reading is private, and this visitor is neither the owner nor holding a valid link: nothing is loaded.</summary>
    public bool Private { get; private set; }
    public bool ReadingIsPrivate => access.ReadingIsPrivate;
    public IReadOnlyDictionary<int, IReadOnlyList<MetricDto>> Curves => _curves;
    /// <summary>The book's letter-frequency loss: the curves' reference line.</summary>
    public double? FrequencyLoss { get; private set; }
    /// <summary>Each trial's best checkpoint by whole-split validation loss, best trials first: what Compare and Generate open.</summary>
    public IReadOnlyList<(TrialDto Trial, CheckpointDto Checkpoint)> Best { get; private set; } = [];

    /// <param name="key">A read-only link's key (<c>?key=</c>): lets a visitor watch this sweep when reading is private.</param>
    public async Task LoadAsync(int id, string? key, Task<AuthenticationState>? auth)
    {
        _id = id;
        Owner = await access.IsOwnerAsync(auth);
        Private = !await access.CanReadAsync(auth) && !links.IsValid(id, key);
        if (Private) return;
        _subscription = broadcaster.Subscribe(e =>
        {
            if (e is ProgressEvent || !_trialRuns.Contains(e.RunId) || _reloadPending) return;
            _reloadPending = true;
            _ = dispatch(async () =>
            {
                await Task.Delay(ReloadEvery);
                _reloadPending = false;
                await ReloadAsync();
                redraw();
            });
        });
        await ReloadAsync();
    }

    public async Task ReloadAsync()
    {
        var sweep = await sweeps.GetAsync(_id);
        if (!sweep.Ok) { Missing = true; return; }
        Sweep = sweep.Value;
        FrequencyLoss ??= (await books.GetAsync(Sweep.BookId)) is { Ok: true } book ? book.Value.FrequencyLoss : null;
        _trialRuns = Sweep.Trials.Select(t => t.RunId).ToHashSet();
        foreach (var trial in Sweep.Trials.Where(t => t.Step > 0 && _curveSteps.GetValueOrDefault(t.RunId, -1) != t.Step))
        {
            _curves[trial.RunId] = (await history.MetricsAsync(trial.RunId)).Where(m => m.ValLoss is not null).ToList();
            _curveSteps[trial.RunId] = trial.Step;
        }
        var best = new List<(TrialDto, CheckpointDto)>();
        foreach (var trial in Sweep.Trials.Where(t => t.BestValLoss is not null).OrderBy(t => t.BestValLoss).Take(4))
            if ((await checkpoints.ListAsync(trial.RunId)).Where(c => c.ValLoss is not null && c.State == CheckpointState.Ok).MinBy(c => c.ValLoss) is { } checkpoint)
                best.Add((trial, checkpoint));
        Best = best;
    }

    /// <summary>The Compare page with the best two to four trials' best checkpoints, best first.</summary>
    public string? CompareLink => Best.Count >= 2 ? $"/compare?checkpoints={string.Join(",", Best.Select(b => b.Checkpoint.Id))}" : null;

    public string? GenerateLink => Best.Count >= 1 ? $"/generate?checkpoint={Best[0].Checkpoint.Id}" : null;

    public bool HasFailed => Sweep?.Trials.Any(t => t.Status is RunStatus.Failed or RunStatus.Interrupted) == true;

    public async Task<Notice> CancelAsync() => Said(await sweeps.CancelAsync(_id), "The sweep is cancelled: queued trials will not start, running ones stop with a checkpoint.");

    public async Task<Notice> RerunFailedAsync()
    {
        var rerun = await sweeps.RerunFailedAsync(_id);
        return rerun.Ok ? await Reloaded(new Notice($"{rerun.Value} trial{(rerun.Value == 1 ? "" : "s")} queued again from {(rerun.Value == 1 ? "its" : "their")} newest checkpoint."))
            : new Notice(rerun.Failure!.Detail, Warning: true);
    }

    public async Task<Notice> PromoteAsync(TrialDto trial) =>
        Said(await sweeps.PromoteAsync(_id, trial.RunId), $"Trial {trial.Index + 1} continues from its checkpoint at step {trial.StoppedAtStep:N0}; it will not be stopped again.");

    private Notice Said(Features.Results.Result result, string done)
    {
        _ = dispatch(async () => { await ReloadAsync(); redraw(); });
        return result.Ok ? new Notice(done) : new Notice(result.Failure!.Detail, Warning: true);
    }

    private async Task<Notice> Reloaded(Notice notice)
    {
        await ReloadAsync();
        return notice;
    }

    public void Dispose() => _subscription?.Dispose();
}
