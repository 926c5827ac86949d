using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;

namespace CharRnn.Bench.Reports;

/// <summary>A bench that cannot run as asked (a bad option, a missing file, a failed run) says why in one line on stderr and exits with 1.</summary>
internal static class BenchErrors
{
    public static async Task<int> Run(Func<Task<int>> bench)
    {
        try { return await bench(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or TextLoadException or CheckpointFormatException
                                      or InvalidDataException or HttpRequestException or TimeoutException)
        {
            Console.Error.WriteLine($"charrnn-bench: {e.Message}");
            return 1;
        }
    }

    public static Task<int> Run(Func<int> bench) => Run(() => Task.FromResult(bench()));
}
