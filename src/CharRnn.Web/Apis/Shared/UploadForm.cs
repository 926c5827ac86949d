using CharRnn.Web.Features.Results;
using Microsoft.AspNetCore.Http.Features;

namespace CharRnn.Web.Apis;

/// <summary>
/// Reads a multipart upload's <c>file</c> field under a size limit that holds with or without a Content-Length: the
/// server's default body limit is small (<see cref="MaxRequestBytes"/>), and only the upload endpoints raise
/// it, to their own limit. The form reader keeps large parts in a temporary file, not in memory.
/// </summary>
public static class UploadForm
{
    /// <summary>The largest request body anywhere else (a passage of 200,000 characters fits): the upload endpoints raise it for themselves.</summary>
    public const long MaxRequestBytes = 2L * 1024 * 1024;

    internal static async Task<Result<(IFormCollection Form, IFormFile File)>> ReadAsync(
        HttpRequest request, long maxBytes, string what, string setting, CancellationToken ct)
    {
        Failure TooLarge() => Failure.TooLarge($"The {what} is larger than the limit of {maxBytes / 1024.0 / 1024:N1} MB ({setting}).");
        if (!request.HasFormContentType) return Failure.Invalid($"Send the {what} as multipart/form-data with a 'file' field.");
        // The multipart framing around the file: a few kilobytes at most.
        var allowed = maxBytes + 64 * 1024;
        if (request.ContentLength > allowed) return TooLarge();
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = allowed;
        IFormCollection form;
        try { form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = allowed }, ct); }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException)
        {
            return TooLarge();
        }
        if (form.Files["file"] is not { } file) return Failure.Invalid("The upload has no 'file' field.");
        if (file.Length > maxBytes) return Failure.TooLarge($"The {what} is {file.Length / 1024.0 / 1024:F1} MB; the limit is {maxBytes / 1024.0 / 1024:N1} MB ({setting}).");
        return (form, file);
    }
}
