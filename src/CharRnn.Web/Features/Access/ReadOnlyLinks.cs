using System.Security.Cryptography;
using System.Text.Json;
using CharRnn.Web.Data;

namespace CharRnn.Web.Features.Access;

/// <summary>
/// Read-only links to one page (<c>/runs/{id}?key=…</c>, <c>/sweeps/{id}?key=…</c>): for an exposed app with
/// <c>CharRnn:PrivateRead</c>, whoever has the link watches that run or sweep, and nothing else; the owner creates and
/// revokes them. Kept in a file of the data folder, so every web instance that mounts the folder honours them.
/// </summary>
/// <param name="fileName">The data folder's file of this kind's links.</param>
/// <param name="page">The page a link opens: <c>/runs</c>.</param>
public abstract class ReadOnlyLinks(DataFolder folder, string fileName, string page)
{
    private readonly Lock _lock = new();
    private string FilePath => Path.Combine(folder.Root, fileName);

    /// <summary>A new read-only link to the page: <c>/runs/{id}?key=…</c>.</summary>
    public string Url(int id) => $"{page}/{id}?key={Create(id)}";

    public string Create(int id)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            var links = Read();
            links[id] = [.. links.GetValueOrDefault(id, []), key];
            Write(links);
        }
        return key;
    }

    /// <summary>Revokes every link to the page.</summary>
    public void Revoke(int id)
    {
        lock (_lock)
        {
            var links = Read();
            if (links.Remove(id)) Write(links);
        }
    }

    public bool IsValid(int id, string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        lock (_lock) return Read().GetValueOrDefault(id, []).Any(k => CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(k), System.Text.Encoding.UTF8.GetBytes(key)));
    }

    private Dictionary<int, List<string>> Read() =>
        File.Exists(FilePath) ? JsonSerializer.Deserialize<Dictionary<int, List<string>>>(File.ReadAllText(FilePath)) ?? [] : [];

    private void Write(Dictionary<int, List<string>> links)
    {
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(links));
        File.Move(temporary, FilePath, overwrite: true);
    }
}

/// <summary>Read-only links to a run's page (<c>run-links.json</c>).</summary>
public sealed class RunLinks(DataFolder folder) : ReadOnlyLinks(folder, "run-links.json", "/runs");

/// <summary>Read-only links to a sweep's page (<c>sweep-links.json</c>).</summary>
public sealed class SweepLinks(DataFolder folder) : ReadOnlyLinks(folder, "sweep-links.json", "/sweeps");
