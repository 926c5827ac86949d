namespace CharRnn.Web.Services;

/// <summary>A checkpoint the store lists whose file is missing from the data folder or cannot be read.</summary>
public sealed class CheckpointUnavailableException(int checkpointId, bool missing, string reason)
    : Exception(missing
        ? $"The file of checkpoint {checkpointId} is missing from the data folder: {reason}"
        : $"The file of checkpoint {checkpointId} is damaged: {reason}")
{
    public bool Missing { get; } = missing;

    /// <summary>404 for a missing file, 409 for a damaged one (the checkpoint exists, its file does not serve).</summary>
    public int StatusCode => Missing ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
}
