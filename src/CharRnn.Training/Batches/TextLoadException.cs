namespace CharRnn.Training.Batches;

/// <summary>A file cannot be used as a book: empty, binary or in no encoding we can decode. The message says which.</summary>
public sealed class TextLoadException(string message) : Exception(message);
