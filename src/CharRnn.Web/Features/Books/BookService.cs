using CharRnn.Training.Health;
using System.Security.Cryptography;
using System.Text;
using CharRnn.Training.Batches;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Results;
using CharRnn.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Books;

/// <summary>The library of books: uploads decoded, normalised and saved as UTF-8 with a row describing them; listing and deleting them.</summary>
public sealed class BookService(IDbContextFactory<StudioDbContext> db, DataFolder folder, IOptions<StudioOptions> options)
{
    private const int PreviewCharacters = 500;

    public long MaxBytes => options.Value.MaxBookBytes;

    public async Task<IReadOnlyList<BookDto>> ListAsync(CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        var books = await context.Books.OrderByDescending(b => b.Id).ToListAsync(ct);
        await MeasureAsync(context, books, ct);
        return books.Select(b => b.ToDto()).ToList();
    }

    public async Task<Result<BookDto>> GetAsync(int id, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([id], ct) is not { } book) return Failure.NotFound($"There is no book {id}.");
        await MeasureAsync(context, [book], ct);
        return book.ToDto();
    }

    /// <summary>The letter-frequency line of books stored before it was measured: read from their files once, then kept.</summary>
    private async Task MeasureAsync(StudioDbContext context, IEnumerable<Book> books, CancellationToken ct)
    {
        var unmeasured = books.Where(b => b.FrequencyLoss is null && File.Exists(folder.BookPath(b.FileName))).ToList();
        foreach (var book in unmeasured) book.FrequencyLoss = CharacterFrequencies.OfBook(await File.ReadAllTextAsync(folder.BookPath(book.FileName), ct));
        if (unmeasured.Count > 0) await context.SaveChangesAsync(ct);
    }

    /// <summary>Decodes and stores a book; empty, binary or undecodable files are refused with the reason, and nothing is stored then.</summary>
    public async Task<Result<BookDto>> AddAsync(byte[] bytes, string name, CancellationToken ct = default)
    {
        BookText text;
        try { text = BookText.Decode(bytes); }
        catch (TextLoadException e) { return Failure.Invalid(e.Message); }
        var fileName = $"{Guid.NewGuid():N}.txt";
        var characters = text.Text.EnumerateRunes().Count();
        var utf8 = Encoding.UTF8.GetBytes(text.Text);
        var book = new Book
        {
            Name = DisplayName(name, options.Value.Limits.MaxNameCharacters),
            SizeBytes = bytes.Length,
            Characters = characters,
            AlphabetSize = text.Text.EnumerateRunes().Distinct().Count(),
            Encoding = text.Encoding,
            Preview = new string(text.Text.Take(PreviewCharacters).ToArray()),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(utf8)),
            FileName = fileName,
            CreatedAt = DateTime.UtcNow,
            FrequencyLoss = CharacterFrequencies.OfBook(text.Text),
        };
        await File.WriteAllBytesAsync(folder.BookPath(fileName), utf8, ct);
        try
        {
            await using var context = await db.CreateDbContextAsync(ct);
            context.Books.Add(book);
            await context.SaveChangesAsync(ct);
        }
        catch
        {
            File.Delete(folder.BookPath(fileName));
            throw;
        }
        return book.ToDto();
    }

    /// <summary>Deletes a book and its file unless a run uses it.</summary>
    public async Task<Result> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Books.FindAsync([id], ct) is not { } book) return Failure.NotFound($"There is no book {id}.");
        if (await context.Runs.AnyAsync(r => r.BookId == book.Id, ct)) return Failure.Conflict($"'{book.Name}' is used by a training run; delete its runs first.");
        context.Books.Remove(book);
        await context.SaveChangesAsync(ct);
        File.Delete(folder.BookPath(book.FileName));
        return Result.Done;
    }

    /// <summary>
    /// A name people can read and no one can misuse: the file's own name without folders or extension, without control
    /// and formatting characters (right-to-left overrides can make "txt.exe" read as "exe.txt"), cut to the limit.
    /// It is only ever shown: files are stored under generated names.
    /// </summary>
    public static string DisplayName(string? name, int maxCharacters)
    {
        var plain = new string(Path.GetFileNameWithoutExtension((name ?? "").Replace('\\', '/').Trim())
            .Where(c => char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format)).ToArray()).Trim();
        if (plain.Length == 0) return "Untitled";
        if (plain.Length <= maxCharacters) return plain;
        var cut = char.IsHighSurrogate(plain[maxCharacters - 1]) ? maxCharacters - 1 : maxCharacters; // never half a character
        return plain[..cut].TrimEnd() + "…";
    }
}
