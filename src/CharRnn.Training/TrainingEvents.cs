namespace CharRnn.Training;

/// <summary>One optimiser step done. <paramref name="Epoch"/> counts from 1.</summary>
public sealed record StepMetrics(long Step, long TotalSteps, int Epoch, int Epochs, double TrainLoss, double CharsPerSecond, TimeSpan Eta, double LearningRate = 0);

/// <summary>Validation loss over the whole validation split, and a short sample from the model as it stands.</summary>
public sealed record Evaluation(long Step, int Epoch, double ValLoss, string Sample);

/// <summary>A checkpoint written to <paramref name="Path"/>; <paramref name="IsBest"/> when it has the lowest validation loss so far.</summary>
public sealed record SavedCheckpoint(string Path, long Step, int Epoch, double? TrainLoss, double? ValLoss, bool IsBest, long SizeBytes);

public enum TrainingOutcome { Completed, Cancelled, StepLimitReached }

public sealed record TrainingResult(TrainingOutcome Outcome, long Step, double? BestValLoss, string? BestCheckpoint, string? LastCheckpoint);
