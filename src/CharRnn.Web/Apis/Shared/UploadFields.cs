namespace CharRnn.Web.Apis;

/// <summary>
/// The fields of the upload endpoints' multipart forms, for the API's description only: the endpoints read the form
/// themselves (<see cref="UploadForm"/>), under their own size limits.
/// </summary>
/// <param name="File">The book's text, in any encoding (UTF-8, UTF-16, or a legacy one such as Windows-1251).</param>
/// <param name="Name">What to call the book; the file's name when omitted.</param>
public sealed record BookUploadFields(IFormFile File, string? Name = null);

/// <param name="File">A checkpoint saved by the PyTorch notebook (<c>torch.save</c>), or one of ours.</param>
public sealed record CheckpointUploadFields(IFormFile File);
