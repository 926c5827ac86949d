using System.Globalization;
using System.Text;

namespace CharRnn.Bench.Presets;

/// <summary>
/// The curves of a presets bench as CSV, written beside its chart: for people to plot again, and for a later bench
/// to compare against (<c>--notebook-curve</c>) without training the same Notebook run a second time.
/// </summary>
internal static class PresetCurveCsv
{
    private const string Header = "preset,seed,seconds,step,val_loss,whole_split";

    public static void Write(string path, IEnumerable<PresetCurve> curves)
    {
        var csv = new StringBuilder(Header + "\n");
        foreach (var c in curves)
            foreach (var p in c.Points)
                csv.Append(CultureInfo.InvariantCulture, $"{c.Preset},{c.Seed},{p.Seconds:F1},{p.Step},{p.ValLoss:F4},{(p.WholeSplit ? 1 : 0)}\n");
        File.WriteAllText(path, csv.ToString());
    }

    /// <summary>
    /// One preset's curve from such a file. The file keeps evaluations only, so the run's wall time is taken as its last
    /// evaluation's and what its evaluations cost is unknown (NaN).
    /// </summary>
    /// <param name="seed">The seed whose curve to read, where the file holds several of the preset; the first one's otherwise.</param>
    /// <param name="label">What to call the curve in tables and charts (a preset renamed since), the preset's name otherwise.</param>
    public static PresetCurve Read(string path, string preset, int? seed = null, string? label = null)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header) throw new InvalidDataException($"{path} is not a presets bench's curve file (its first line should be '{Header}').");
        var rows = lines.Skip(1).Select(line => line.Split(',')).Where(cells => cells.Length == 6 && cells[0] == preset).ToList();
        if (rows.Count == 0) throw new InvalidDataException($"{path} holds no curve of the {preset} preset.");
        var first = seed?.ToString(CultureInfo.InvariantCulture) ?? rows[0][1];
        rows = rows.Where(cells => cells[1] == first).ToList();
        if (rows.Count == 0) throw new InvalidDataException($"{path} holds no curve of the {preset} preset with seed {seed}.");
        var points = rows.Select(c => new CurvePoint(
            double.Parse(c[2], CultureInfo.InvariantCulture), long.Parse(c[3], CultureInfo.InvariantCulture),
            double.Parse(c[4], CultureInfo.InvariantCulture), c[5] == "1")).ToList();
        return new PresetCurve(label ?? preset, int.Parse(rows[0][1], CultureInfo.InvariantCulture), points, points[^1].Seconds, points[^1].Step, double.NaN, double.NaN, From: path);
    }
}
