using System.Diagnostics;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Devices;
using CharRnn.Training.Loop;

namespace CharRnn.Bench.Engine;

/// <summary>Training speed of the <see cref="Trainer"/> against <see cref="BareTrainingLoop"/>, and the Trainer's resident memory.</summary>
internal static class TrainingBench
{
    public sealed record Result(double BareBefore, double BareAfter, double Trainer, long ResidentAtSmall, long ResidentAtLarge, int SmallStep, int LargeStep)
    {
        public double Bare => (BareBefore + BareAfter) / 2;
        public double Ratio => Trainer / Bare;
        public double MemoryChange => (double)ResidentAtLarge / ResidentAtSmall - 1;
    }

    /// <summary>Bare loop, then the Trainer for <paramref name="trainerSteps"/> steps, then the bare loop again: drift shows as a gap between the two bare figures.</summary>
    public static Result Run(string text, TrainingOptions options, int warmup, int bareSteps, int trainerSteps, int smallStep, Action<string> log)
    {
        var vocabulary = Vocabulary.FromText(text);
        var encoded = vocabulary.Encode(text);

        log($"bare loop: {warmup} + {bareSteps} steps…");
        var before = BareTrainingLoop.Run(encoded, vocabulary.Count, options, warmup, bareSteps);
        log($"  {before:N0} chars/s");

        NativeMemory.Trim();
        var folder = Directory.CreateTempSubdirectory("charrnn-bench-").FullName;
        try
        {
            log($"Trainer: {trainerSteps} steps (no evaluation until the last)…");
            var trainer = new Trainer(text, options with { MaxSteps = trainerSteps, EvaluateEvery = int.MaxValue, Epochs = 1000 }, folder);
            var clock = new Stopwatch();
            long small = 0, large = 0;
            trainer.StepCompleted += s =>
            {
                if (s.Step == warmup) clock.Start();
                if (s.Step == trainerSteps) clock.Stop();
                if (s.Step == smallStep) small = NativeMemory.ResidentBytes();
                if (s.Step == trainerSteps) large = NativeMemory.ResidentBytes();
                if (s.Step % 10 == 0) log($"  step {s.Step}: {s.CharsPerSecond:N0} chars/s, resident {NativeMemory.ResidentBytes() / 1e6:N0} MB");
            };
            trainer.Run();
            var trainerRate = (double)(trainerSteps - warmup) * options.BatchSize * options.SequenceLength / clock.Elapsed.TotalSeconds;
            log($"  {trainerRate:N0} chars/s");

            log($"bare loop again: {warmup} + {bareSteps} steps…");
            var after = BareTrainingLoop.Run(encoded, vocabulary.Count, options, warmup, bareSteps);
            log($"  {after:N0} chars/s");
            return new Result(before, after, trainerRate, small, large, smallStep, trainerSteps);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
