using System.CommandLine;
using CharRnn.Contracts;
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
    private static readonly Option<double?> TopP = new("--top-p") { Description = "Nucleus sampling: draw only from the likeliest characters that make up this share, in (0, 1] (default: all)." };
    private static readonly Option<string[]> Stop = new("--stop")
    {
        Description = "End as soon as the text ends with this; repeat for up to 4. \n is a line break: --stop '\n\n' ends at a blank line.",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<int?> Beam = new("--beam") { Description = "Search for the likeliest continuation with a beam this wide (1–8) instead of drawing; takes no --top-k or --top-p." };
    private static readonly Option<FileInfo?> PrimeFile = new("--prime-file") { Description = "Read the prime from this UTF-8 file instead of --prime." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Makes the sample repeatable (default: random, printed to stderr)." };
    private static readonly Option<WeightPrecision> Precision = new("--precision")
    {
        Description = "Float32 (exact, the default) or BFloat16 (about twice as fast on a 2×512 model; samples differ slightly).",
        DefaultValueFactory = _ => WeightPrecision.Float32,
    };

    public static Command Create()
    {
        var command = new Command("sample", "Generate text from a checkpoint.") { CheckpointPath, Prime, PrimeFile, Length, Temperature, TopK, TopP, Stop, Beam, Seed, Precision };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var checkpoint = CheckpointFormats.Read(parse.GetValue(CheckpointPath)!.FullName);
            var prime = parse.GetValue(PrimeFile) is { } file ? File.ReadAllText(file.FullName) : parse.GetValue(Prime)!;
            // Each --stop is one whole stop (a '|' in it is just a character); \n and \t in it are a line break and a tab.
            var stops = (parse.GetValue(Stop) ?? []).Select(s => s.Replace("\\n", "\n").Replace("\\t", "\t")).ToList();
            var options = new SampleOptions(prime, parse.GetValue(Length), parse.GetValue(Temperature), parse.GetValue(TopK), parse.GetValue(Seed),
                parse.GetValue(TopP), stops, parse.GetValue(Beam)).WithSeed();
            var sampler = new Sampler(new LstmWeights(checkpoint, parse.GetValue(Precision)));
            var characters = sampler.Generate(options); // checks the options now
            Console.Error.WriteLine($"seed {options.Seed}");
            var stdout = Console.Out;
            stdout.Write(options.Prime);
            foreach (var c in characters) stdout.Write(c); // Console.Out flushes every write: each character appears as drawn
            stdout.WriteLine();
            Console.Error.WriteLine($"ended by {ContractsJson.Name(sampler.EndedBy!.Value)}"
                + (sampler.BeamScore is { } score ? $"; log-probability {score.LogProbability:F3}, {score.BitsPerCharacter:F3} bits per character" : ""));
            return 0;
        }));
        return command;
    }
}
