using System.Security.Cryptography;
using System.Text.Json;
using CharRnn.Web.Data;

namespace CharRnn.Web.Features.Access;

/// <summary>
/// Read-only links to one run (<c>/runs/{id}?key=…</c>): for an exposed app with <c>CharRnn:PrivateRead</c>, whoever has
/// the link watches that run's chart and samples, and nothing else; the owner creates and revokes them. Kept in the data
/// folder's <c>run-links.json</c>, so every web instance that mounts the folder honours them.
/// </summary>
public sealed class RunLinks(DataFolder folder)
{
    private readonly Lock _lock = new();
    private string FilePath => Path.Combine(folder.Root, "run-links.json");

    /// <summary>A new read-only link to the run's page: <c>/runs/{id}?key=…</c>.</summary>
    public string Url(int runId) => $"/runs/{runId}?key={Create(runId)}";

    public string Create(int runId)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            var links = Read();
            links[runId] = [.. links.GetValueOrDefault(runId, []), key];
            Write(links);
        }
        return key;
    }

    /// <summary>Revokes every link to the run.</summary>
    public void Revoke(int runId)
    {
        lock (_lock)
        {
            var links = Read();
            if (links.Remove(runId)) Write(links);
        }
    }

    public bool IsValid(int runId, string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        lock (_lock) return Read().GetValueOrDefault(runId, []).Any(k => CryptographicOperations.FixedTimeEquals(
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
