using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Books;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/books</c>: upload (any encoding), list, read and delete books.</summary>
public static class BooksApi
{
    public static RouteGroupBuilder MapBooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/books").WithTags("Books").ProducesProblems(400, 404, 409, 413);
        api.MapPost("/", Upload).WithName("uploadBook").DisableAntiforgery().RequireAuthorization(OwnerAccess.Policy).Accepts<BookUploadFields>("multipart/form-data");
        api.MapGet("/", List).WithName("listBooks").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapGet("/{id:int}", Get).WithName("getBook").RequireAuthorization(OwnerAccess.ReadPolicy);
        api.MapDelete("/{id:int}", Delete).WithName("deleteBook").RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Upload a book</summary>
    /// <remarks>A multipart <c>file</c> (and an optional <c>name</c>): decoded from its encoding, refused when empty, binary or undecodable.</remarks>
    public static async Task<Results<Created<BookDto>, ProblemHttpResult>> Upload(HttpRequest request, BookService books, CancellationToken ct)
    {
        var upload = await UploadForm.ReadAsync(request, books.MaxBytes, "book", "the setting CharRnn:MaxBookBytes raises it", ct);
        if (!upload.Ok) return upload.Failure!.ToProblem();
        var (form, file) = upload.Value;
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        var name = form["name"].FirstOrDefault() is { Length: > 0 } given ? given : file.FileName;
        var added = await books.AddAsync(bytes, name, ct);
        return added.CreatedOrProblem(book => $"/api/books/{book.Id}");
    }

    /// <summary>List the books</summary>
    /// <remarks>Every book, newest first: its size, alphabet, detected encoding, a preview and `frequencyLoss`, the loss of guessing each letter by its frequency.</remarks>
    public static async Task<Ok<IReadOnlyList<BookDto>>> List(BookService books, CancellationToken ct) => TypedResults.Ok(await books.ListAsync(ct));

    /// <summary>Get a book</summary>
    /// <remarks>One book, as the list gives it.</remarks>
    public static async Task<Results<Ok<BookDto>, ProblemHttpResult>> Get(int id, BookService books, CancellationToken ct) =>
        (await books.GetAsync(id, ct)).OkOrProblem();

    /// <summary>Delete a book</summary>
    /// <remarks>Deletes a book and its file; a book that a run uses stays (409).</remarks>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, BookService books, CancellationToken ct) =>
        (await books.DeleteAsync(id, ct)).NoContentOrProblem();
}
