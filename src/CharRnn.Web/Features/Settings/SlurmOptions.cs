namespace CharRnn.Web.Features.Settings;

/// <summary>Who trains the runs.</summary>
public enum RunExecutors
{
    /// <summary>This server, one run per device at a time (the single-machine default).</summary>
    InProcess,
    /// <summary>A Slurm cluster: each run is a batch job running <c>CharRnn.Web.dll worker RUN_ID</c>; this server never trains.</summary>
    Slurm,
}

/// <summary>The <c>CharRnn:Slurm</c> section: how a run becomes a batch job.</summary>
public sealed class SlurmOptions
{
    /// <summary>The partition to submit to; null for the cluster's default.</summary>
    public string? Partition { get; set; }
    /// <summary>
    /// The command a job runs, before <c>worker RUN_ID</c>: by default this app with the same dotnet, which the compute
    /// nodes must reach at the same path (a shared install), as they reach the data folder.
    /// </summary>
    public string? WorkerCommand { get; set; }
    /// <summary>More sbatch options, such as <c>--time=24:00:00 --mem=16G</c>.</summary>
    public string? ExtraArguments { get; set; }
    /// <summary>How often the jobs' states are read (squeue).</summary>
    public int PollSeconds { get; set; } = 2;
}
