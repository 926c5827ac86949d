namespace CharRnn.Bench.Reports;

/// <summary>
/// Resolves the bench commands' relative paths (<c>corpus/anna.txt</c>, <c>docs/benchmarks.md</c>) from the repository's
/// root, since <c>dotnet run</c> starts a web project in its own folder rather than where the command was typed.
/// </summary>
public static class RepositoryPath
{
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CharRnn.Web.sln"))) return Path.Combine(dir.FullName, path);
        return Path.GetFullPath(path);
    }
}
