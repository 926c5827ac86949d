using System.Security.Cryptography;
using System.Text;
using CharRnn.Training;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Services;

/// <summary>Stores uploaded books: decoded, normalised and saved as UTF-8, with a row describing them.</summary>
public sealed class BookService(IDbContextFactory<StudioDbContext> db, DataFolder folder, IOptions<StudioOptions> options)
{
    private const int PreviewCharacters = 500;

    public long MaxBytes => options.Value.MaxBookBytes;

    /// <summary>Decodes and stores a book. Throws <see cref="TextLoadException"/> for empty, binary or undecodable files; nothing is stored then.</summary>
    public async Task<Book> AddAsync(byte[] bytes, string name, CancellationToken ct = default)
    {
        var text = BookText.Decode(bytes);
        var fileName = $"{Guid.NewGuid():N}.txt";
        var utf8 = Encoding.UTF8.GetBytes(text.Text);
        var book = new Book
        {
            Name = DisplayName(name, options.Value.Limits.MaxNameCharacters),
            SizeBytes = bytes.Length,
            Characters = text.Text.EnumerateRunes().Count(),
            AlphabetSize = text.Text.EnumerateRunes().Distinct().Count(),
            Encoding = text.Encoding,
            Preview = new string(text.Text.Take(PreviewCharacters).ToArray()),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(utf8)),
            FileName = fileName,
            CreatedAt = DateTime.UtcNow,
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
        return book;
    }

    public async Task<string> ReadTextAsync(Book book, CancellationToken ct = default) =>
        await File.ReadAllTextAsync(folder.BookPath(book.FileName), Encoding.UTF8, ct);

    /// <summary>Deletes a book unless a run uses it; returns false when one does.</summary>
    public async Task<bool> DeleteAsync(Book book, CancellationToken ct = default)
    {
        await using var context = await db.CreateDbContextAsync(ct);
        if (await context.Runs.AnyAsync(r => r.BookId == book.Id, ct)) return false;
        context.Books.Remove(book);
        await context.SaveChangesAsync(ct);
        File.Delete(folder.BookPath(book.FileName));
        return true;
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
