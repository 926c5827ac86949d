using CharRnn.Training;
using CharRnn.Web.Data;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

public static class BooksApi
{
    public static RouteGroupBuilder MapBooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/books");
        api.MapPost("/", Upload).DisableAntiforgery();
        api.MapGet("/", List);
        api.MapGet("/{id:int}", Get);
        api.MapDelete("/{id:int}", Delete);
        return api;
    }

    public static async Task<Results<Created<BookDto>, ProblemHttpResult>> Upload(HttpRequest request, BookService books, CancellationToken ct)
    {
        if (!request.HasFormContentType) return Problems.BadRequest("Send the book as multipart/form-data with a 'file' field.");
        if (request.ContentLength > books.MaxBytes + 64 * 1024)
            return Problems.TooLarge($"The file is larger than the limit of {books.MaxBytes / 1024 / 1024} MB.");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files["file"];
        if (file is null) return Problems.BadRequest("The upload has no 'file' field.");
        if (file.Length > books.MaxBytes) return Problems.TooLarge($"The file is {file.Length / 1024.0 / 1024:F1} MB; the limit is {books.MaxBytes / 1024 / 1024} MB.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        try
        {
            var name = form["name"].FirstOrDefault() is { Length: > 0 } given ? given : file.FileName;
            var book = await books.AddAsync(buffer.ToArray(), name, ct);
            return TypedResults.Created($"/api/books/{book.Id}", BookDto.From(book));
        }
        catch (TextLoadException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    public static async Task<Ok<List<BookDto>>> List(IDbContextFactory<StudioDbContext> db, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var books = await context.Books.OrderByDescending(b => b.Id).ToListAsync(ct);
        return TypedResults.Ok(books.Select(BookDto.From).ToList());
    }

    public static async Task<Results<Ok<BookDto>, ProblemHttpResult>> Get(int id, IDbContextFactory<StudioDbContext> db, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        return await context.Books.FindAsync([id], ct) is { } book ? TypedResults.Ok(BookDto.From(book)) : Problems.NotFound($"There is no book {id}.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, IDbContextFactory<StudioDbContext> db, BookService books, CancellationToken ct)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([id], ct) is not { } book) return Problems.NotFound($"There is no book {id}.");
        return await books.DeleteAsync(book, ct)
            ? TypedResults.NoContent()
            : Problems.Conflict($"'{book.Name}' is used by a training run; delete its runs first.");
    }
}
