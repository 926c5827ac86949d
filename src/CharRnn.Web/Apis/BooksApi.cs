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
        api.MapPost("/", Upload).DisableAntiforgery().RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/", List).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapDelete("/{id:int}", Delete).RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    public static async Task<Results<Created<BookDto>, ProblemHttpResult>> Upload(HttpRequest request, BookService books, CancellationToken ct)
    {
        var (form, file, problem) = await UploadForm.ReadAsync(request, books.MaxBytes, "book", "the setting CharRnn:MaxBookBytes raises it", ct);
        if (problem is not null) return problem;
        var bytes = new byte[file!.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        try
        {
            var name = form!["name"].FirstOrDefault() is { Length: > 0 } given ? given : file.FileName;
            var book = await books.AddAsync(bytes, name, ct);
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
