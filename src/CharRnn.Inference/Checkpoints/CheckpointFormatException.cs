namespace CharRnn.Inference.Checkpoints;

/// <summary>A checkpoint file is truncated, corrupt or not one of ours; the message says what is wrong.</summary>
public sealed class CheckpointFormatException(string message, Exception? inner = null) : Exception(message, inner);
