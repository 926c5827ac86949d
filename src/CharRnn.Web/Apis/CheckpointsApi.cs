using CharRnn.Inference;
using CharRnn.Training;
using CharRnn.Web.Data;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class CheckpointsApi
{
    public static RouteGroupBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/checkpoints");
        api.MapGet("/", List).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/file", Download).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}/bits", Bits).RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/import", Import).DisableAntiforgery().RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    public static async Task<Ok<List<CheckpointDto>>> List(int? runId, IDbContextFactory<StudioDbContext> db, DataFolder folder, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var query = context.Checkpoints.AsQueryable();
        if (runId is not null) query = query.Where(c => c.RunId == runId);
        var list = await query.OrderBy(c => c.RunId).ThenBy(c => c.Step).ToListAsync(ct);
        return TypedResults.Ok(list.Select(c => CheckpointDto.From(c, folder.CheckpointState(c))).ToList());
    }

    public static async Task<Results<FileContentHttpResult, PhysicalFileHttpResult, ProblemHttpResult>> Download(
        int id, string? format, HttpContext http, IDbContextFactory<StudioDbContext> db, DataFolder folder, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Checkpoints.FindAsync([id], ct) is not { } record) return Problems.NotFound($"There is no checkpoint {id}.");
        var path = folder.Absolute(record.RelativePath);
        var baseName = record.RunId is { } runId ? $"run{runId}-step{record.Step}" : $"checkpoint{record.Id}";
        switch (format ?? "safetensors")
        {
            case "safetensors":
                // A checkpoint file never changes once written: browsers may keep it for good (the in-browser sampler does).
                var file = new FileInfo(path);
                if (!file.Exists) return Problems.NotFound($"The file of checkpoint {id} is missing from the data folder.");
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return TypedResults.PhysicalFile(path, "application/octet-stream", baseName + CheckpointFile.Extension,
                    lastModified: file.LastWriteTimeUtc, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\""));
            case "pytorch":
                if (!File.Exists(path)) return Problems.NotFound($"The file of checkpoint {id} is missing from the data folder.");
                try
                {
                    using var buffer = new MemoryStream();
                    NotebookCheckpoint.Write(buffer, CheckpointFile.Read(path));
                    return TypedResults.File(buffer.ToArray(), "application/octet-stream", baseName + ".net");
                }
                catch (CheckpointFormatException e) { return Problems.Conflict($"The file of checkpoint {id} is damaged: {e.Message}"); }
            default:
                return Problems.BadRequest($"Unknown format '{format}': use safetensors or pytorch.");
        }
    }

    /// <summary>Bits per character on a held-out passage (its book's validation split by default, or <paramref name="text"/>).</summary>
    public static async Task<Results<Ok<BitsDto>, ProblemHttpResult>> Bits(int id, string? text, CheckpointScoring scoring, CancellationToken ct)
    {
        var scored = await scoring.ScoreAsync(id, text, ct);
        if (scored.Result is { } result) return TypedResults.Ok(new BitsDto(result.BitsPerChar, result.Characters));
        return Problems.WithStatus(scored.Status, scored.Problem!);
    }

    public static async Task<Results<Created<CheckpointDto>, ProblemHttpResult>> Import(HttpRequest request, CheckpointImporter importer, CancellationToken ct)
    {
        var (_, file, problem) = await UploadForm.ReadAsync(request, Extensions.MaxUploadBytes, "checkpoint", "the largest checkpoint this server imports", ct);
        if (problem is not null) return problem;
        try
        {
            await using var stream = file!.OpenReadStream();
            var record = await importer.ImportAsync(stream, file.FileName, ct);
            return TypedResults.Created($"/api/checkpoints/{record.Id}/file", CheckpointDto.From(record));
        }
        catch (CheckpointFormatException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }
}
