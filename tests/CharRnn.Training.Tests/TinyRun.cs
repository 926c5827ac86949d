namespace CharRnn.Training.Tests;

/// <summary>The short text and the small model that the trainer's tests train in milliseconds.</summary>
internal static class TinyRun
{
    public const string Verse = "the quick brown fox jumps over the lazy dog.\n";

    /// <summary>The verse 50 times: 2,250 characters, 10 steps an epoch at batch 8 × 25.</summary>
    public static readonly string Text = string.Concat(Enumerable.Repeat(Verse, 50));

    /// <summary>A small model on <see cref="Text"/>: an epoch of 10 steps, a few milliseconds each.</summary>
    public static readonly TrainingOptions Small = new()
    {
        Hidden = 32, Layers = 2, Dropout = 0, LearningRate = 0.01, BatchSize = 8, SequenceLength = 25,
        Epochs = 2, GradientClip = 5, ValidationFraction = 0.1, EvaluateEvery = 5, Seed = 42, Threads = 1,
    };
}
