using System.Diagnostics;
using CharRnn.Training.Loop;
using CharRnn.Training.Precision;

namespace CharRnn.Bench.Presets;

/// <summary>One evaluation of a benchmarked run: when it finished (seconds since the run began), at which step, and what it read.</summary>
internal sealed record CurvePoint(double Seconds, long Step, double ValLoss, bool WholeSplit);

/// <summary>A whole benchmarked run: its validation curve against wall-clock time and what its evaluations cost.</summary>
/// <param name="ValidationSeconds">Time spent in validation passes.</param>
/// <param name="EvaluationSeconds">Time from the end of an evaluated step to its checkpoint on disk: the validation pass, the sample and the write.</param>
/// <param name="From">The curve file it was read from, when it was not trained by this bench.</param>
/// <param name="Characters">Characters trained on (steps × batch × sequence); 0 when unknown (a curve read from CSV).</param>
/// <param name="Sample">The sample drawn at the last whole-split evaluation.</param>
internal sealed record PresetCurve(string Preset, int Seed, IReadOnlyList<CurvePoint> Points, double Seconds, long Steps, double ValidationSeconds, double EvaluationSeconds,
    string? From = null, long Characters = 0, string? Sample = null)
{
    /// <summary>Characters a second while training, the evaluations' time left out.</summary>
    public double TrainingSpeed => Characters / (Seconds - EvaluationSeconds);

    /// <summary>The first whole-split evaluation at or below <paramref name="loss"/>, or null when none reached it.</summary>
    public CurvePoint? FirstAtOrBelow(double loss) => Points.FirstOrDefault(p => p.WholeSplit && p.ValLoss <= loss);

    /// <summary>The run's last whole-split figure: the one a person would quote.</summary>
    public CurvePoint Final => Points.Last(p => p.WholeSplit);
}

/// <summary>Trains one preset on a book with the app's own <see cref="Trainer"/>, recording every evaluation against the clock.</summary>
internal static class PresetRun
{
    /// <summary>
    /// Checkpoints go to a temporary folder, deleted afterwards, so the bench keeps only the curve; or to
    /// <paramref name="keepIn"/>, kept, when a run's checkpoints are wanted too (charrnn-bench inside reads them).
    /// </summary>
    public static PresetCurve Train(string text, string preset, TrainingOptions options, Action<string> log, string? keepIn = null)
    {
        if (keepIn is not null) return Train(text, preset, options, Directory.CreateDirectory(keepIn).FullName, log);
        var folder = Directory.CreateTempSubdirectory("charrnn-bench-presets-").FullName;
        try { return Train(text, preset, options, folder, log); }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static PresetCurve Train(string text, string preset, TrainingOptions options, string folder, Action<string> log)
    {
        var trainer = new Trainer(text, options, folder);
        log($"  {preset} seed {options.Seed}: precision {TrainingPrecisions.ExplainHere(options.Precision, trainer.Device)}.");
        var points = new List<CurvePoint>();
        var clock = new Stopwatch();
        double validation = 0, evaluation = 0, stepEnded = 0;
        string? sample = null;
        trainer.StepCompleted += s =>
        {
            stepEnded = clock.Elapsed.TotalSeconds;
            if (s.Step % 50 == 0) log($"  {preset} seed {options.Seed}: step {s.Step}/{s.TotalSteps}, {stepEnded / 60:F1} min");
        };
        trainer.Evaluated += e =>
        {
            validation += e.Seconds;
            points.Add(new CurvePoint(clock.Elapsed.TotalSeconds, e.Step, e.ValLoss, e.WholeSplit));
            if (e.WholeSplit) sample = e.Sample;
            if (e.WholeSplit) log($"  {preset} seed {options.Seed}: step {e.Step}, epoch {e.Epoch}, validation loss {e.ValLoss:F4} at {clock.Elapsed.TotalMinutes:F1} min");
        };
        trainer.CheckpointSaved += _ => evaluation += clock.Elapsed.TotalSeconds - stepEnded;
        clock.Start();
        var result = trainer.Run();
        return new PresetCurve(preset, options.Seed!.Value, points, clock.Elapsed.TotalSeconds, result.Step, validation, evaluation,
            Characters: result.Step * options.BatchSize * options.SequenceLength, Sample: sample);
    }
}
