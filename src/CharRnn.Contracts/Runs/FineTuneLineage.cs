namespace CharRnn.Contracts;

/// <summary>
/// What a fine-tuned run started from (<see cref="RunDto.FineTunedFrom"/>): the checkpoint, the run and the book that
/// trained it (as they were when the run was created: they may since be gone, and the run keeps its own copy of the
/// start), and how many characters its alphabet gained.
/// </summary>
public sealed record FineTuneLineage(int CheckpointId, int? RunId, int? BookId, int CharactersAdded);
