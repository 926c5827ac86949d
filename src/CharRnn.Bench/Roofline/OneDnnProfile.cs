using System.Globalization;

namespace CharRnn.Bench.Roofline;

/// <summary>
/// What oneDNN itself ran, from the lines <c>ONEDNN_VERBOSE=1</c> prints for each primitive it executes
/// (<c>onednn_verbose,…,exec,cpu,rnn,brgemm:avx512_core_bf16,forward_training,…,1.23</c>, the last field in
/// milliseconds): the time by primitive kind, implementation and direction.
/// </summary>
internal static class OneDnnProfile
{
    public sealed record Entry(string Kind, string Implementation, string Direction, int Calls, double Milliseconds);

    public static IReadOnlyList<Entry> Parse(IEnumerable<string> lines)
    {
        var entries = new Dictionary<(string, string, string), (int Calls, double Milliseconds)>();
        foreach (var line in lines)
        {
            if (!line.StartsWith("onednn_verbose", StringComparison.Ordinal)) continue;
            var fields = line.Split(',');
            var exec = Array.IndexOf(fields, "exec");
            if (exec < 0 || exec + 4 >= fields.Length) continue;
            if (!double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) continue;
            var key = (fields[exec + 2], fields[exec + 3], fields[exec + 4]);
            var (calls, total) = entries.GetValueOrDefault(key);
            entries[key] = (calls + 1, total + ms);
        }
        return entries.Select(e => new Entry(e.Key.Item1, e.Key.Item2, e.Key.Item3, e.Value.Calls, e.Value.Milliseconds))
            .OrderByDescending(e => e.Milliseconds).ToList();
    }
}
