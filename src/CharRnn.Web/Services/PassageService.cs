using System.Security.Cryptography;
using CharRnn.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Services;

/// <summary>Keeps generated passages for sharing at /p/{slug}.</summary>
public sealed class PassageService(IDbContextFactory<StudioDbContext> db)
{
    // No 0/o, 1/l: slugs are read aloud and typed.
    private const string SlugAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public async Task<Passage> CreateAsync(int checkpointId, string prime, int length, double temperature, int? topK, int seed, string text, CancellationToken ct = default)
    {
        var passage = new Passage
        {
            Slug = RandomNumberGenerator.GetString(SlugAlphabet, 10),
            CheckpointId = checkpointId, Prime = prime, Length = length, Temperature = temperature,
            TopK = topK, Seed = seed, Text = text, CreatedAt = DateTime.UtcNow,
        };
        await using var context = await db.CreateDbContextAsync(ct);
        context.Passages.Add(passage);
        await context.SaveChangesAsync(ct);
        return passage;
    }
}
