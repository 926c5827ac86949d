namespace CharRnn.Training.Tests;

/// <summary>The notebook's corpus, found in a <c>shared/data</c> folder beside (or above) the checkout.</summary>
internal static class SharedData
{
    public static string AnnaPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "anna.txt");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("shared/data/anna.txt was not found beside the checkout or above it.");
        }
    }
}
