using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Operations;
using CharRnn.Web.Features.Runs;
using Microsoft.AspNetCore.Components.Authorization;

namespace CharRnn.Web.Components.Pages;

/// <summary>A line for the page's snackbar after an action: what happened, and whether it went wrong.</summary>
public sealed record Notice(string Text, bool Warning = false);

/// <summary>
/// The live run page's work, apart from its markup: who may see and change the run, the run itself kept up to date from
/// training events (<see cref="RunView"/>), another run's curves to lay over it, and the owner's actions (cancel, resume,
/// read-only links). Events arrive on the trainer's thread and are applied on the page's (<paramref name="dispatch"/>, the
/// component's InvokeAsync); the page redraws through <paramref name="redraw"/>, at most five times a second while steps pour in.
/// </summary>
public sealed class RunWatch(RunService runs, RunRemedy remedies, RunHistory history, CheckpointFiles checkpoints, TrainingBroadcaster broadcaster,
    StudioMetrics metrics, RunLinks links, OwnerAccess access, Features.Books.BookService books, Func<Func<Task>, Task> dispatch, Action redraw) : IDisposable
{
    private static readonly TimeSpan RenderEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>This page as a watcher, for the <c>charrnn_watchers</c> metric.</summary>
    private readonly string _watcher = "page:" + Guid.NewGuid().ToString("N");
    private IDisposable? _subscription;
    private DateTime _lastRender;
    private bool _renderPending;
    private int _id;

    public RunView? View { get; private set; }
    public bool Missing { get; private set; }
    /// <summary>Reading is private, and this visitor is neither the owner nor holding a valid link: nothing is loaded.</summary>
    public bool Private { get; private set; }
    /// <summary>Whether this visitor may cancel or resume: anyone until the app is exposed, then only its owner.</summary>
    public bool Owner { get; private set; }
    public bool ReadingIsPrivate => access.ReadingIsPrivate;

    /// <summary>Runs whose curves can be laid over this one's: offered only to visitors who may read every run.</summary>
    public IReadOnlyList<(int Id, string Name)> OtherRuns { get; private set; } = [];
    /// <summary>The book's letter-frequency loss: the chart's reference line.</summary>
    public double? FrequencyLoss { get; private set; }
    public int? OverlayRunId { get; private set; }
    public IReadOnlyList<MetricDto>? Overlay { get; private set; }
    public string? OverlayName { get; private set; }

    /// <param name="key">A read-only link's key (<c>?key=</c>): lets a visitor watch this run when reading is private.</param>
    public async Task LoadAsync(int id, string? key, Task<AuthenticationState>? auth)
    {
        _id = id;
        Owner = await access.IsOwnerAsync(auth);
        var mayReadAll = await access.CanReadAsync(auth);
        Private = !mayReadAll && !links.IsValid(id, key);
        if (Private) return;
        // Subscribe before reading, so nothing published in between is lost (repeats are dropped by RunView).
        var early = new List<TrainingEvent>();
        _subscription = broadcaster.Subscribe(e => { lock (early) { if (View is null) early.Add(e); else _ = dispatch(() => OnEventAsync(e)); } });
        var run = await runs.GetAsync(id);
        if (!run.Ok) { Missing = true; return; }
        metrics.Watching(_watcher, true);
        var metricsSoFar = await history.MetricsAsync(id);
        var saved = await checkpoints.ListAsync(id);
        FrequencyLoss = (await books.GetAsync(run.Value.BookId)) is { Ok: true } book ? book.Value.FrequencyLoss : null;
        // A read-only link opens this run alone, so its holder is not offered the others.
        if (mayReadAll) OtherRuns = (await runs.ListAsync()).Where(r => r.Id != id && r.Step > 0).Select(r => (r.Id, r.Name)).ToList();
        lock (early)
        {
            View = new RunView(run.Value, metricsSoFar, saved);
            foreach (var e in early) View.Apply(e);
        }
    }

    /// <summary>Redraws at most five times a second: a fast run sends hundreds of steps a second.</summary>
    private async Task OnEventAsync(TrainingEvent e)
    {
        if (View is null || !View.Apply(e)) return;
        if (e is not ProgressEvent || DateTime.UtcNow - _lastRender > RenderEvery)
        {
            _lastRender = DateTime.UtcNow;
            redraw();
        }
        else if (!_renderPending)
        {
            _renderPending = true;
            await Task.Delay(RenderEvery);
            (_renderPending, _lastRender) = (false, DateTime.UtcNow);
            redraw();
        }
    }

    /// <summary>Loads the chosen run's curves once; a run still training is drawn as it stood when chosen.</summary>
    public async Task OverlayAsync(int? runId)
    {
        OverlayRunId = runId;
        if (runId is not { } other || OtherRuns.All(r => r.Id != other)) { (Overlay, OverlayName) = (null, null); return; }
        Overlay = await history.MetricsAsync(other);
        OverlayName = OtherRuns.First(r => r.Id == other).Name;
    }

    public async Task<Notice?> CancelAsync()
    {
        if (!Owner) return null;
        var cancelled = await runs.CancelAsync(_id);
        return cancelled.Ok ? new("Stopping after the current step; a checkpoint will be kept.") : new(cancelled.Failure!.Detail, Warning: true);
    }

    public async Task<Notice?> ResumeAsync()
    {
        if (!Owner) return null;
        var resumed = await runs.ResumeAsync(_id);
        if (!resumed.Ok) return new(resumed.Failure!.Detail, Warning: true);
        View?.Reset(View.Run with { Status = RunStatus.Queued, Error = null });
        return new("Queued: it continues from its newest checkpoint.");
    }

    /// <summary>Applies the health warning's remedy (<see cref="RunRemedy"/>, as <see cref="RemedyPlan"/> decides it): a new run linked to this one; the page opens it.</summary>
    public async Task<(Notice Notice, int? RunId)> RemedyAsync()
    {
        if (!Owner) return (new("Only the owner can start runs.", Warning: true), null);
        var remedy = await remedies.ApplyAsync(_id);
        return remedy.Ok ? (new($"Started {remedy.Value.Name}."), remedy.Value.Id) : (new(remedy.Failure!.Detail, Warning: true), null);
    }

    /// <summary>The comparison of this run's best checkpoint with its newest, when they differ.</summary>
    /// <summary>The run's best checkpoint (the lowest whole-split validation loss), which "Fine-tune on another book" starts from; null before one.</summary>
    public int? BestCheckpointId => (View?.Checkpoints ?? []).Where(c => c.ValLoss is not null).MinBy(c => c.ValLoss)?.Id;

    public string? CompareLink
    {
        get
        {
            var saved = View?.Checkpoints ?? [];
            var best = saved.Where(c => c.ValLoss is not null).MinBy(c => c.ValLoss);
            var newest = saved.MaxBy(c => c.Step);
            return best is null || newest is null || best.Id == newest.Id ? null : SamplingAddress.Compare([best.Id, newest.Id]);
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        metrics.Gone(_watcher);
    }
}
