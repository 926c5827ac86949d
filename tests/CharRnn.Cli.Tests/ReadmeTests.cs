using System.Text.RegularExpressions;

namespace CharRnn.Cli.Tests;

/// <summary>A person who clones the repository has nothing beside it: what the README and docs name must be inside it.</summary>
[Slow(SlowBecause.Process)]
public partial class ReadmeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-readme-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CharRnn.Web.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("No folder above the tests holds CharRnn.Web.sln.");
        }
    }

    private static IEnumerable<string> Documents() =>
        [Path.Combine(Root, "README.md"), .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"), Path.Combine(Root, "corpus", "README.md")];

    [GeneratedRegex(@"(?<![\w/.-])\.\./[\w./-]+")]
    private static partial Regex PathAbove();

    [GeneratedRegex(@"(?<![\w/.-])(?:corpus|docs|src|tests|build|wwwroot)/[\w./-]*\w")]
    private static partial Regex RepositoryPath();

    [Fact]
    public void The_readme_and_docs_name_no_file_outside_the_repository()
    {
        foreach (var document in Documents())
            Assert.True(!PathAbove().IsMatch(File.ReadAllText(document)), $"{Path.GetFileName(document)} names {PathAbove().Match(File.ReadAllText(document)).Value}");
    }

    [Fact]
    public void Every_repository_path_the_readme_names_exists()
    {
        var named = RepositoryPath().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))).Select(m => m.Value.TrimEnd('.')).Distinct().ToList();
        Assert.Contains("corpus/anna.txt", named);
        Assert.All(named, path => Assert.True(File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path)), $"README names {path}, which is not in the repository"));
    }

    [Fact]
    public void The_readmes_training_example_trains_on_the_corpus_it_names()
    {
        var line = File.ReadLines(Path.Combine(Root, "README.md")).First(l => l.StartsWith("charrnn train "));
        var args = line["charrnn ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var outIndex = args.IndexOf("--out");
        if (outIndex >= 0) args[outIndex + 1] = _folder; // keep the checkpoints out of the checkout

        // The README's own command, typed at the repository's root, cut to two steps of a small model.
        var result = Charrnn.RunIn(Root, [.. args, "--max-steps", "2", "--hidden", "16", "--batch-size", "8", "--seq-length", "20", "--eval-every", "1"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "best.safetensors")), result.Stdout);
    }
}
