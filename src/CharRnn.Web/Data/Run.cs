using System.ComponentModel.DataAnnotations.Schema;
using System.Text.Json;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;

namespace CharRnn.Web.Data;

/// <summary>A training run: its options, where it stands, and how it ended.</summary>
public sealed class Run
{
    public int Id { get; set; }
    public int BookId { get; set; }
    public required string Name { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>The run's <see cref="TrainingOptions"/> as JSON (<see cref="TrainingJson"/>), seed filled in.</summary>
    public required string OptionsJson { get; set; }

    /// <summary>The run's options, read from <see cref="OptionsJson"/> each time.</summary>
    [NotMapped]
    public TrainingOptions Options => TrainingJson.Read(OptionsJson);
    public long Step { get; set; }
    public long TotalSteps { get; set; }
    public int Epoch { get; set; }
    public double? TrainLoss { get; set; }
    public double? ValLoss { get; set; }
    public double? BestValLoss { get; set; }
    public double? CharsPerSecond { get; set; }
    /// <summary>Seconds left, as the trainer last estimated them.</summary>
    public double? EtaSeconds { get; set; }
    /// <summary>Where it trains, or will: <see cref="TrainingDevices.Name"/> of the device (CPU, CUDA).</summary>
    public required string Device { get; set; }
    /// <summary>What its steps compute in, or will: <see cref="TrainingPrecisions.Name"/> (float32, bfloat16). Runs from before the choice trained in float32.</summary>
    public string Precision { get; set; } = TrainingPrecision.Float32.Name();
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>The sample drawn at the latest evaluation.</summary>
    public string? LastSample { get; set; }
    /// <summary>
    /// Who trains it while it runs: the web instance's <c>CharRnn:InstanceName</c>. An instance that starts marks only
    /// its own runs interrupted, so instances sharing a PostgreSQL store leave each other's runs alone.
    /// </summary>
    public string? TrainedBy { get; set; }
    /// <summary>With the Slurm executor: the batch job that trains it (the newest, after a resume).</summary>
    public string? JobId { get; set; }
    /// <summary>The job's state as Slurm last reported it (PENDING, RUNNING, …), and while it waits, Slurm's reason.</summary>
    public string? JobState { get; set; }
    public string? JobReason { get; set; }
    /// <summary>Set by a cancel that reaches an instance not training the run; the one training it stops within a second.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>The sweep whose trial it is, and the trial's place in it (0 for the first).</summary>
    public int? SweepId { get; set; }
    public int? TrialIndex { get; set; }
    /// <summary>The swept options' values, as JSON by option name.</summary>
    public string? TrialJson { get; set; }
    /// <summary>Why it was stopped early (by its sweep's successive halving at a rung, or stuck past its health setting), and at which step; null while it goes on.</summary>
    public string? StopReason { get; set; }
    public long? StoppedAtStep { get; set; }
    /// <summary>Continued by hand after a stop: successive halving records its rungs but no longer stops it.</summary>
    public bool Promoted { get; set; }

    /// <summary>Its health warning (<see cref="RunHealth"/>) as JSON, kept up to date while it trains; null while it learns.</summary>
    public string? HealthJson { get; set; }
    /// <summary>The run whose health warning's remedy created this one, and the step of its best checkpoint where the remedy resumed from it.</summary>
    public int? RemedyOf { get; set; }
    public long? RemedyFromStep { get; set; }

    /// <summary>
    /// A fine-tune's start (<see cref="TrainingOptions.InitFrom"/>): the checkpoint, its run and book when it was created
    /// (kept as ids: the run keeps a copy of the start, <see cref="DataFolder.FineTuneStart"/>, so deleting them loses
    /// nothing it needs), and the characters its alphabet gained.
    /// </summary>
    public int? FineTunedFromCheckpointId { get; set; }
    public int? FineTunedFromRunId { get; set; }
    public int? FineTunedFromBookId { get; set; }
    public int? CharactersAdded { get; set; }

    /// <summary>The other books it is also evaluated on (<see cref="Features.Runs.EvaluationBooks"/>), as JSON; null for none.</summary>
    public string? AlsoEvaluateOnJson { get; set; }

    /// <summary><see cref="AlsoEvaluateOnJson"/> read and written.</summary>
    [NotMapped]
    public IReadOnlyList<EvaluationBook> AlsoEvaluatedOn
    {
        get => AlsoEvaluateOnJson is null ? [] : JsonSerializer.Deserialize<List<EvaluationBook>>(AlsoEvaluateOnJson, ContractsJson.Options) ?? [];
        set => AlsoEvaluateOnJson = value.Count == 0 ? null : JsonSerializer.Serialize(value, ContractsJson.Options);
    }
}
