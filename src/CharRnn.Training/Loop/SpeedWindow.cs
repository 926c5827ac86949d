namespace CharRnn.Training.Loop;

/// <summary>
/// Characters trained a second over the last <see cref="Steps"/> steps (or as many as there have been): the speed the
/// progress line, the run page and the API show. One step's own speed swings by a factor of five on a 2-core server
/// (a collection, the operating system, a neighbour's burst); fifty steps, tens of seconds at any preset, read steadily.
/// Only the steps' own time counts: evaluations and checkpoints between them are left out.
/// </summary>
public sealed class SpeedWindow(int characters)
{
    /// <summary>Steps the window spans.</summary>
    public const int Steps = 50;

    private readonly double[] _seconds = new double[Steps];
    private int _count, _next;
    private double _sum;

    /// <summary>Adds a step that took <paramref name="seconds"/>; returns the window's characters a second.</summary>
    public double Add(double seconds)
    {
        _sum += seconds - _seconds[_next];
        _seconds[_next] = seconds;
        _next = (_next + 1) % Steps;
        _count = Math.Min(_count + 1, Steps);
        return CharactersPerSecond;
    }

    /// <summary>Characters a second over the window; 0 before the first step.</summary>
    public double CharactersPerSecond => _sum <= 0 ? 0 : (double)characters * _count / _sum;
}
