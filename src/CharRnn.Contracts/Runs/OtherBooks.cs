namespace CharRnn.Contracts;

/// <summary>
/// One other book's validation loss at a whole-split evaluation of a run that is also evaluated on it
/// (<see cref="CreateRunRequest.AlsoEvaluateOn"/>): what a fine-tune forgets of the book it came from, for example.
/// </summary>
public sealed record BookValLoss(int BookId, double ValLoss);

/// <summary>
/// A book a run is also evaluated on, named as it was when the run was created (so its curve keeps its name if the book
/// is deleted), with the characters of its validation split that the model lacks: they are read past, as Inside reads
/// them, and counted here once training has begun.
/// </summary>
public sealed record EvaluationBook(int BookId, string Name, int? CharactersReadPast = null);
