using CharRnn.Inference.Lstm;

namespace CharRnn.Web.Features.Settings;

/// <summary>The <c>CharRnn</c> configuration section.</summary>
public sealed class StudioOptions
{
    /// <summary>Where books, checkpoints and the SQLite database live (<c>CharRnn__DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "data";
    /// <summary>The health checks' switches and thresholds (<c>CharRnn:Health</c>).</summary>
    public CharRnn.Training.Health.HealthSettings Health { get; set; } = new();
    /// <summary>Largest book accepted, in bytes.</summary>
    public long MaxBookBytes { get; set; } = 50 * 1024 * 1024;
    /// <summary>libtorch threads for a run that does not say; null leaves one core for the web server and samplers.</summary>
    public int? TrainingThreads { get; set; }

    /// <summary>libtorch threads a run trains with: its own setting, else <see cref="TrainingThreads"/>, else all cores but one.</summary>
    public int ThreadsFor(TrainingOptions run) => run.Threads ?? TrainingThreads ?? Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// For one of <paramref name="sharedBy"/> runs training at once (a sweep's trials): by default they divide the cores
    /// between them, at least one each; two one-thread runs side by side were measured efficient on 2 cores.
    /// </summary>
    public int ThreadsFor(TrainingOptions run, int sharedBy) =>
        sharedBy <= 1 ? ThreadsFor(run) : run.Threads ?? TrainingThreads ?? Math.Max(1, Environment.ProcessorCount / sharedBy);
    /// <summary>Float32 (exact, the default) or BFloat16 (about twice as fast for a 2×512 model; see <see cref="WeightPrecision"/>).</summary>
    public WeightPrecision SamplingPrecision { get; set; } = WeightPrecision.Float32;
    /// <summary>Threads each checkpoint's sampling batch splits its steps between; null: half the cores, 1 to 4 (training keeps the rest).</summary>
    public int? SamplingThreads { get; set; }
    /// <summary>Free space the data folder's disk must have for a run to start (1 GB: a few checkpoints of a large model).</summary>
    public long MinFreeDiskBytes { get; set; } = 1L << 30;
    /// <summary>Checkpoints a run keeps besides its best one: the newest this many (<see cref="Checkpoints.CheckpointRetention"/>).</summary>
    public int KeepCheckpoints { get; set; } = 10;
    /// <summary>The owner token (<c>CharRnn__OwnerToken</c>): set, changes need it (<see cref="Access.OwnerAccess"/>).</summary>
    public string? OwnerToken { get; set; }
    /// <summary>Ask for the owner token even on loopback (behind a reverse proxy on the same machine, for instance).</summary>
    public bool Exposed { get; set; }
    /// <summary>On an exposed app, reading runs, books and checkpoints needs the owner too (or a run's read-only link); shared passages and comparisons stay public.</summary>
    public bool PrivateRead { get; set; }
    /// <summary>
    /// This instance's name among several sharing one store (PostgreSQL): it marks the runs it trains, and at start only
    /// those are marked interrupted. Default: the machine's name; give instances on one machine names of their own.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;
    /// <summary><see cref="RunExecutors.InProcess"/> (this server trains, the default) or <see cref="RunExecutors.Slurm"/> (batch jobs run <c>worker</c>).</summary>
    public RunExecutors Executor { get; set; } = RunExecutors.InProcess;
    /// <summary>How runs are submitted to Slurm (<c>CharRnn:Slurm:*</c>).</summary>
    public SlurmOptions Slurm { get; set; } = new();
    /// <summary>What one request may ask (<c>CharRnn:Limits:*</c>).</summary>
    public StudioLimits Limits { get; set; } = new();
}
