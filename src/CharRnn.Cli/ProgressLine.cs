namespace CharRnn.Cli;

/// <summary>
/// One line redrawn in place on a terminal (a bar, then the figures); on redirected output, a plain
/// line now and then instead, so logs stay readable.
/// </summary>
internal sealed class ProgressLine(TextWriter output, bool interactive)
{
    private const int BarWidth = 24;
    private DateTime _lastPlain = DateTime.MinValue;
    private int _lastLength;

    public void Update(double fraction, string text)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        var line = $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction,4:P0} {text}";
        if (interactive)
        {
            output.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
        }
        else if (DateTime.UtcNow - _lastPlain > TimeSpan.FromSeconds(10) || fraction >= 1)
        {
            output.WriteLine(line);
            _lastPlain = DateTime.UtcNow;
        }
    }

    /// <summary>Prints a line of its own above the bar.</summary>
    public void Message(string text)
    {
        if (interactive && _lastLength > 0) output.Write("\r" + new string(' ', _lastLength) + "\r");
        output.WriteLine(text);
        _lastLength = 0;
    }

    public void Finish()
    {
        if (interactive && _lastLength > 0) output.WriteLine();
        _lastLength = 0;
    }
}
