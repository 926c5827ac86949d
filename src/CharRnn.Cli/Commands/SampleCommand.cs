using System.CommandLine;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Training.Checkpoints;

namespace CharRnn.Cli.Commands;

/// <summary><c>charrnn sample CHECKPOINT</c>: streams characters to stdout as they are drawn.</summary>
internal static class SampleCommand
{
    private static readonly Argument<FileInfo> CheckpointPath = new("checkpoint") { Description = "Our .safetensors checkpoint, or the notebook's PyTorch file." };
    private static readonly Option<string> Prime = new("--prime") { Description = "Text to start from; it is printed, then continued.", DefaultValueFactory = _ => "The" };
    private static readonly Option<int> Length = new("--length") { Description = "Characters to draw after the prime.", DefaultValueFactory = _ => 1000 };
    private static readonly Option<double> Temperature = new("--temperature") { Description = "Below 1 is safer, above 1 wilder.", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int?> TopK = new("--top-k") { Description = "Draw only from the k likeliest characters (default: all)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Makes the sample repeatable (default: random, printed to stderr)." };
    private static readonly Option<WeightPrecision> Precision = new("--precision")
    {
        Description = "Float32 (exact, the default) or BFloat16 (about twice as fast on a 2×512 model; samples differ slightly).",
        DefaultValueFactory = _ => WeightPrecision.Float32,
    };

    public static Command Create()
    {
        var command = new Command("sample", "Generate text from a checkpoint.") { CheckpointPath, Prime, Length, Temperature, TopK, Seed, Precision };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var checkpoint = CheckpointFormats.Read(parse.GetValue(CheckpointPath)!.FullName);
            var options = new SampleOptions(parse.GetValue(Prime)!, parse.GetValue(Length), parse.GetValue(Temperature), parse.GetValue(TopK), parse.GetValue(Seed)).WithSeed();
            var characters = new Sampler(new LstmWeights(checkpoint, parse.GetValue(Precision))).Generate(options); // checks the options now
            Console.Error.WriteLine($"seed {options.Seed}");
            var stdout = Console.Out;
            stdout.Write(options.Prime);
            foreach (var c in characters) stdout.Write(c); // Console.Out flushes every write: each character appears as drawn
            stdout.WriteLine();
            return 0;
        }));
        return command;
    }
}
