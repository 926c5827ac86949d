namespace CharRnn.Training.Loop;

/// <summary>One optimiser step done. <paramref name="Epoch"/> counts from 1. <paramref name="CharsPerSecond"/> is the training speed over the last 50 steps (<see cref="SpeedWindow"/>).</summary>
public sealed record StepMetrics(long Step, long TotalSteps, int Epoch, int Epochs, double TrainLoss, double CharsPerSecond, TimeSpan Eta, double LearningRate = 0);

/// <summary>Validation loss and a short sample from the model as it stands.</summary>
/// <param name="WholeSplit">False when <paramref name="ValLoss"/> is an estimate from the subset of validation batches
/// (<see cref="TrainingOptions.EvaluationBatches"/>); only whole-split figures may choose the best checkpoint.</param>
/// <param name="Seconds">Time the validation passes took, to show what evaluation costs a run.</param>
/// <param name="OtherBooks">At whole-split evaluations, each of <see cref="Trainer.AlsoEvaluateOn"/>'s books' loss; null otherwise.</param>
public sealed record Evaluation(long Step, int Epoch, double ValLoss, string Sample, bool WholeSplit = true, double Seconds = 0, IReadOnlyList<BookValLoss>? OtherBooks = null);

/// <summary>A checkpoint written to <paramref name="Path"/>; <paramref name="IsBest"/> when it has the lowest validation loss so far.
/// <paramref name="ValLoss"/> is null for checkpoints written at a subset evaluation: it holds whole-split figures only.</summary>
public sealed record SavedCheckpoint(string Path, long Step, int Epoch, double? TrainLoss, double? ValLoss, bool IsBest, long SizeBytes);

public enum TrainingOutcome { Completed, Cancelled, StepLimitReached }

public sealed record TrainingResult(TrainingOutcome Outcome, long Step, double? BestValLoss, string? BestCheckpoint, string? LastCheckpoint);
