using System.CommandLine;
using CharRnn.Cli.Commands;

var root = new RootCommand("charrnn: train a character-level LSTM on a book and generate text in its style.")
{
    TrainCommand.Create(),
    SampleCommand.Create(),
    ConvertCommand.Create(),
    SweepCommand.Create(),
};
// Ctrl+C is ours: training must save a checkpoint before it exits, which can take longer than
// System.CommandLine's default two-second grace period.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
