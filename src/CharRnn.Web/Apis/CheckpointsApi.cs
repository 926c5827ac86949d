using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Checkpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/checkpoints</c>: list checkpoints, download them in our format or the notebook's, score them, import the notebook's.</summary>
public static class CheckpointsApi
{
    public static RouteGroupBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/checkpoints").WithTags("Checkpoints").ProducesProblems(400, 404, 409, 413);
        api.MapGet("/", List).WithName("listCheckpoints").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/file", Download).WithName("downloadCheckpoint").RequireAuthorization(OwnerAccess.ReadPolicy).Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        api.MapGet("/{id:int}/bits", Bits).WithName("scoreCheckpoint").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/{id:int}/score", Score).WithName("scoreText").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/import", Import).WithName("importCheckpoint").DisableAntiforgery().RequireAuthorization(OwnerAccess.Policy).Accepts<CheckpointUploadFields>("multipart/form-data");
        return api;
    }

    /// <summary>List checkpoints</summary>
    /// <remarks>Every checkpoint, or one run's, each with the state of its file (<c>ok</c>, <c>missing</c>, <c>damaged</c>).</remarks>
    /// <param name="runId">Only this run's checkpoints; all of them (imported ones too) when omitted.</param>
    public static async Task<Ok<IReadOnlyList<CheckpointDto>>> List(int? runId, CheckpointFiles checkpoints, CancellationToken ct) =>
        TypedResults.Ok(await checkpoints.ListAsync(runId, ct));

    /// <summary>Download a checkpoint</summary>
    /// <remarks>The checkpoint's file: <c>safetensors</c> (ours, the default) or <c>pytorch</c> (the notebook's, for <c>torch.load</c>).</remarks>
    /// <param name="format"><c>safetensors</c> (the default) or <c>pytorch</c>.</param>
    public static async Task<Results<PhysicalFileHttpResult, FileContentHttpResult, ProblemHttpResult>> Download(
        int id, string? format, HttpContext http, CheckpointFiles checkpoints, CancellationToken ct)
    {
        var download = await checkpoints.DownloadAsync(id, format ?? CheckpointFiles.SafeTensors, ct);
        if (!download.Ok) return download.Failure!.ToProblem();
        var file = download.Value;
        if (file.Bytes is { } bytes) return TypedResults.File(bytes, "application/octet-stream", file.FileName);
        // A checkpoint file never changes once written: browsers may keep it for good (the in-browser sampler does).
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(file.Path!, "application/octet-stream", file.FileName, lastModified: file.LastModified,
            entityTag: new EntityTagHeaderValue($"\"{file.Length:x}-{file.LastModified.Ticks:x}\""));
    }

    /// <summary>Score a checkpoint in bits per character</summary>
    /// <remarks>Bits per character on a held-out passage (its book's validation split by default, or <paramref name="text"/>).</remarks>
    /// <param name="text">The passage to score; the first 3,000 characters of the book's validation split when omitted.</param>
    public static async Task<Results<Ok<BitsDto>, ProblemHttpResult>> Bits(int id, string? text, CheckpointScoring scoring, CancellationToken ct)
    {
        var scored = await scoring.ScoreAsync(id, text, ct);
        return scored.Ok ? TypedResults.Ok(new BitsDto(scored.Value.BitsPerChar, scored.Value.Characters)) : scored.Failure!.ToProblem();
    }

    /// <summary>Score a text</summary>
    /// <remarks>
    /// The text's bits per character under the checkpoint and its total bits; with <c>characters</c>, each predicted
    /// character's surprise too (the Inside page's hover). Characters the model lacks are read past and counted. At most
    /// the Inside character limit.
    /// </remarks>
    public static async Task<Results<Ok<ScoreResponse>, ProblemHttpResult>> Score(int id, ScoreRequest request, CheckpointScoring scoring, CancellationToken ct)
    {
        var scored = await scoring.ScoreTextAsync(id, request.Text ?? "", ct);
        if (!scored.Ok) return scored.Failure!.ToProblem();
        var bits = scored.Value;
        return TypedResults.Ok(new ScoreResponse(bits.BitsPerChar, bits.TotalBits, bits.Characters, bits.ReadPast,
            request.Characters ? bits.Detail.Select(c => new ScoredCharacter(c.Character, c.Bits)).ToList() : null));
    }

    /// <summary>Import a notebook checkpoint</summary>
    /// <remarks>A checkpoint trained in the PyTorch notebook (multipart <c>file</c>), stored in our format.</remarks>
    public static async Task<Results<Created<CheckpointDto>, ProblemHttpResult>> Import(HttpRequest request, CheckpointImporter importer, CancellationToken ct)
    {
        var upload = await UploadForm.ReadAsync(request, CheckpointImporter.MaxFileBytes, "checkpoint", "the largest checkpoint this server imports", ct);
        if (!upload.Ok) return upload.Failure!.ToProblem();
        await using var stream = upload.Value.File.OpenReadStream();
        return (await importer.ImportAsync(stream, upload.Value.File.FileName, ct)).CreatedOrProblem(c => $"/api/checkpoints/{c.Id}/file");
    }
}
