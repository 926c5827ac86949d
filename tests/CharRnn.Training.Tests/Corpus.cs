using CharRnn.Training.Batches;

namespace CharRnn.Training.Tests;

/// <summary>Books the repository carries in its <c>corpus/</c> folder, found from the test's output folder.</summary>
internal static class Corpus
{
    /// <summary>The notebook's corpus: <i>Anna Karenina</i>, 2,025,486 bytes with CRLF line endings.</summary>
    public static string AnnaPath => Path.Combine(RepositoryRoot, "corpus", "anna.txt");

    /// <summary>anna.txt as the notebook reads it (CRLF → LF).</summary>
    public static string AnnaText => _annaText ??= BookText.Load(AnnaPath).Text;
    private static string? _annaText;

    /// <summary>The nearest folder above the test binaries that holds the solution file.</summary>
    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CharRnn.Web.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds CharRnn.Web.sln.");
        }
    }
}
