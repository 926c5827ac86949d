using System.Text;

namespace CharRnn.Web.Components.Pages;

/// <summary>One cell of the sample grid: a checkpoint (its row) at one temperature or top-p (its column), its passage as it streams, and its bits per character under its own model.</summary>
public sealed class GridCell(CheckpointDto checkpoint, int row, int column, SampleRequest request)
{
    private readonly StringBuilder _text = new();

    public CheckpointDto Checkpoint { get; } = checkpoint;
    public int Row { get; } = row;
    public int Column { get; } = column;
    /// <summary>Exactly what the cell draws: its passage, if saved, records these settings.</summary>
    public SampleRequest Request { get; } = request;

    public string Text => _text.ToString();
    public bool Sampling { get; private set; } = true;
    public string? Error { get; set; }
    /// <summary>Bits per character of the cell's text under its own checkpoint, once drawn.</summary>
    public double? Bits { get; set; }
    public string? ShareUrl { get; set; }

    public void Append(string chunk) => _text.Append(chunk);

    public void End() => Sampling = false;
}
