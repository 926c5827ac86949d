using System.Diagnostics;
using System.Text.Json;
using CharRnn.Bench.Presets;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;

namespace CharRnn.Bench.FineTune;

/// <summary>One whole-split evaluation: training seconds before it (evaluations left out), its step, and the losses it read.</summary>
/// <param name="OtherValLoss">The first book's loss, for a run also evaluated on it (a fine-tune); null otherwise.</param>
internal sealed record FineTunePoint(double Seconds, long Step, double ValLoss, double? OtherValLoss);

/// <summary>A run of the fine-tune bench: its name and its curve against training time.</summary>
internal sealed record FineTuneCurve(string Name, IReadOnlyList<FineTunePoint> Points, double TrainingSeconds, double WallSeconds)
{
    public FineTunePoint Final => Points[^1];

    /// <summary>The first evaluation at or below <paramref name="loss"/>, or null.</summary>
    public FineTunePoint? FirstAtOrBelow(double loss) => Points.FirstOrDefault(p => p.ValLoss <= loss);

    /// <summary>The validation curve, for <see cref="ValLossChart"/>.</summary>
    public PresetCurve Curve(int seed, bool other = false, string? name = null) =>
        new(name ?? Name, seed, Points.Select(p => new CurvePoint(p.Seconds, p.Step, other ? p.OtherValLoss!.Value : p.ValLoss, true)).ToList(), TrainingSeconds, Final.Step, 0, 0);

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    public static FineTuneCurve Read(string path) =>
        JsonSerializer.Deserialize<FineTuneCurve>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no curve.");
}

/// <summary>
/// Trains one run of the fine-tune bench with the app's own <see cref="Trainer"/>: from scratch, or from a checkpoint
/// (<see cref="Trainer.FineTune"/>) also evaluated on the checkpoint's book. The clock counts training only: each
/// evaluation (the whole split, and the other book's) is left out, since the two runs evaluate different amounts.
/// </summary>
internal static class FineTuneRun
{
    public static FineTuneCurve Train(string name, string text, TrainingOptions options, Checkpoint? source, string? otherBook, Action<string> log)
    {
        var folder = Directory.CreateTempSubdirectory("charrnn-bench-finetune-").FullName;
        try
        {
            var trainer = source is null ? new Trainer(text, options, folder) : Trainer.FineTune(text, source, options, folder);
            if (otherBook is not null) trainer.AlsoEvaluateOn = [OtherBookSplit.Of(0, otherBook, trainer.Vocabulary, trainer.Options)];
            var points = new List<FineTunePoint>();
            var wall = Stopwatch.StartNew();
            var sinceMark = Stopwatch.StartNew();
            double training = 0;
            trainer.StepCompleted += _ => { training += sinceMark.Elapsed.TotalSeconds; sinceMark.Restart(); };
            trainer.Evaluated += e =>
            {
                points.Add(new FineTunePoint(training, e.Step, e.ValLoss, e.OtherBooks?[0].ValLoss));
                log($"{name}: step {e.Step}, {training:F1} s of training, validation {e.ValLoss:F4}{(e.OtherBooks is [var other] ? $", first book {other.ValLoss:F4}" : "")}");
            };
            // The evaluation ends when its checkpoint is written: the next step's time starts there.
            trainer.CheckpointSaved += _ => sinceMark.Restart();
            trainer.Run();
            return new FineTuneCurve(name, points, training, wall.Elapsed.TotalSeconds);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
