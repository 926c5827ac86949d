using System.CommandLine;
using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Checkpoints;

namespace CharRnn.Cli.Commands;

/// <summary><c>charrnn convert IN OUT --to pytorch|safetensors</c>: between our format and the notebook's.</summary>
internal static class ConvertCommand
{
    private static readonly Argument<FileInfo> Input = new("input") { Description = "A checkpoint in either format." };
    private static readonly Argument<FileInfo> Output = new("output") { Description = "Where to write the converted checkpoint." };
    private static readonly Option<string> To = new("--to")
    {
        Description = "safetensors (ours) or pytorch (the notebook's torch.save dict).",
        DefaultValueFactory = _ => "safetensors",
    };

    public static Command Create()
    {
        To.AcceptOnlyFromAmong("safetensors", "pytorch");
        var command = new Command("convert", "Convert a checkpoint between our format and the PyTorch notebook's.") { Input, Output, To };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var checkpoint = CheckpointFormats.Read(parse.GetValue(Input)!.FullName);
            var output = parse.GetValue(Output)!.FullName;
            if (parse.GetValue(To) == "pytorch") NotebookCheckpoint.Write(output, checkpoint);
            else CheckpointFile.Write(output, checkpoint);
            Console.WriteLine($"Wrote {output}: {checkpoint.Config.Layers}×{checkpoint.Config.Hidden} LSTM, {checkpoint.Vocabulary.Count} characters.");
            return 0;
        }));
        return command;
    }
}
