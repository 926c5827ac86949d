using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;

namespace CharRnn.Cli;

/// <summary>Turns the errors a person can cause (bad file, bad option) into one line on stderr and exit code 1.</summary>
internal static class CliErrors
{
    public const int BadInput = 1;
    public const int Interrupted = 130;

    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is TextLoadException or CheckpointFormatException or ArgumentException or InvalidDataException
                                      or InvalidOperationException or IOException or UnauthorizedAccessException or TrainingDivergedException)
        {
            Console.Error.WriteLine($"charrnn: {e.Message}");
            return BadInput;
        }
    }

    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));
}
