namespace CharRnn.Contracts;

/// <summary>One training step's figures; <see cref="ValLoss"/> is set on the steps that were evaluated.</summary>
/// <param name="OtherBooks">At a whole-split evaluation of a run also evaluated on other books, each book's validation loss; null elsewhere.</param>
public sealed record MetricDto(long Step, int Epoch, double TrainLoss, double? ValLoss, double CharsPerSecond, DateTime At, IReadOnlyList<BookValLoss>? OtherBooks = null);

/// <summary>An evaluation, as the training hub's <c>Evaluated</c> message carries it.</summary>
/// <param name="WholeSplit">False for an estimate from the run's subset of validation batches (between epoch ends).</param>
/// <param name="OtherBooks">The other books' validation losses (<see cref="MetricDto.OtherBooks"/>), at whole-split evaluations.</param>
public sealed record EvaluationDto(long Step, double ValLoss, string Sample, bool WholeSplit = true, IReadOnlyList<BookValLoss>? OtherBooks = null);

/// <summary><c>Watch(runId)</c>'s answer: the run, and its metrics so far (thinned for drawing when there are more than a few thousand: <paramref name="TotalMetrics"/> says how many exist).</summary>
public sealed record RunSnapshot(RunDto Run, IReadOnlyList<MetricDto> Metrics, int TotalMetrics);

