using System.Text;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Sampling;

namespace CharRnn.Web.Components.Pages;

/// <summary>One checkpoint in a comparison: where it comes from, its passage as it streams, and its score on the held-out text.</summary>
public sealed class CompareColumn(CheckpointDto checkpoint, RunDto? run)
{
    private readonly StringBuilder _text = new();

    public CheckpointDto Checkpoint { get; } = checkpoint;
    public RunDto? Run { get; } = run;
    public TrainingOptions? Options => Run?.Options;

    public string Heading => Run is null ? $"imported: {Checkpoint.Name}" : Run.Name;
    public string Text => _text.ToString();
    public bool Sampling { get; private set; }
    public string? Error { get; set; }
    public BitsResult? Bits { get; set; }
    public string? BitsProblem { get; set; }
    public string? ShareUrl { get; set; }

    public void Begin()
    {
        _text.Clear();
        (Sampling, Error, ShareUrl) = (true, null, null);
    }

    public void Append(string chunk) => _text.Append(chunk);

    public void End() => Sampling = false;
}
