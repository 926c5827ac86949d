namespace CharRnn.Contracts;

/// <summary>
/// <c>POST /api/checkpoints/{id}/score</c>: a text to score (at most the Inside character limit); <see cref="Characters"/>
/// asks for each character's bits as well.
/// </summary>
public sealed record ScoreRequest(string Text, bool Characters = false);

/// <summary>One predicted character and its surprise: −log₂ of the probability the model gave it, as Inside's hover shows.</summary>
public sealed record ScoredCharacter(string Character, double Bits);

/// <summary>
/// A text's cost under a checkpoint: bits per character over the characters predicted (every one the model knows, after
/// the first), the whole text's bits, and how many characters the model lacks and read past. <see cref="Characters"/>
/// lists each predicted character when asked for, in order.
/// </summary>
public sealed record ScoreResponse(double BitsPerCharacter, double TotalBits, int CharactersScored, int CharactersReadPast, IReadOnlyList<ScoredCharacter>? Characters);
