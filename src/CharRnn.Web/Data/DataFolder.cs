namespace CharRnn.Web.Data;

/// <summary>The data folder's layout: books/, checkpoints/{runId}/, imports/. Stored names are generated, never user input.</summary>
public sealed class DataFolder
{
    /// <param name="root">The folder (<c>CharRnn:DataDirectory</c>); created with its subfolders if missing.</param>
    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Books);
        Directory.CreateDirectory(Path.Combine(Root, "checkpoints"));
        Directory.CreateDirectory(Imports);
    }

    public string Root { get; }
    public string Books => Path.Combine(Root, "books");
    public string Imports => Path.Combine(Root, "imports");

    public string RunCheckpoints(int runId) => Path.Combine(Root, "checkpoints", runId.ToString());

    public string BookPath(string fileName) => Path.Combine(Books, fileName);

    /// <summary>A fine-tune's copy of the checkpoint it starts from, in its own folder: it outlives the source's pruning and deletion, and goes with the run.</summary>
    public string FineTuneStart(int runId) => Path.Combine(RunCheckpoints(runId), "start.safetensors");

    public string Absolute(string relativePath) => Path.Combine(Root, relativePath);

    public string Relative(string absolutePath) => Path.GetRelativePath(Root, absolutePath);

    /// <summary>
    /// Whether a checkpoint's file is there with the size it was written with. A cheap check for listing many; reading
    /// a file (to sample or download) finds any other damage and says so.
    /// </summary>
    public CheckpointState StateOf(CheckpointRecord record)
    {
        var file = new FileInfo(Absolute(record.RelativePath));
        return !file.Exists ? CheckpointState.Missing : file.Length != record.SizeBytes ? CheckpointState.Damaged : CheckpointState.Ok;
    }

    /// <summary>
    /// Deletes what a crash left under a temporary name (writes go to one and are renamed when whole, so such a file is
    /// half a file), except in the folders of <paramref name="busy"/> runs, which another instance may be writing now.
    /// Yields each file with the error that kept it, or null once deleted.
    /// </summary>
    public IEnumerable<(string File, IOException? Error)> DeleteHalfWrittenFiles(IReadOnlySet<int> busy)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "checkpoints"), "*.tmp", SearchOption.AllDirectories).ToList())
        {
            if (int.TryParse(Path.GetFileName(Path.GetDirectoryName(file)), out var runId) && busy.Contains(runId)) continue;
            IOException? error = null;
            try { File.Delete(file); }
            catch (IOException e) { error = e; }
            yield return (file, error);
        }
    }

    /// <summary>Bytes free on the data folder's disk, or null where the system cannot say.</summary>
    public long? FreeBytes()
    {
        try { return new DriveInfo(Path.GetFullPath(Root)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }
}
