using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CharRnn.Bench.Reports;
using CharRnn.Web.Features.Sweeps;

namespace CharRnn.Bench.Web;

/// <summary>
/// <c>charrnn-bench sweep</c>: uploads the start of a book to the app, posts a sweep file from <c>examples/sweeps/</c> as
/// it is (its book id made this server's), follows it to its end, and reports the best trial beside the Quick CPU
/// preset's figure, the wall time against the same trials run to their ends (each stopped trial's full length taken
/// from its own seconds per step), and which parameter mattered most (as the sweep's page says it).
/// </summary>
public static class SweepBench
{
    /// <summary>The Quick CPU preset's validation loss on the first megabyte of anna.txt (README, "Presets").</summary>
    private const double QuickPresetLoss = 1.37;

    private static readonly Option<string> SweepFile = new("--file") { Description = "The sweep, YAML or JSON.", DefaultValueFactory = _ => "examples/sweeps/quick-cpu.yaml" };
    private static readonly Option<string> BookPath = new("--book") { Description = "The book whose start is uploaded.", DefaultValueFactory = _ => "corpus/anna.txt" };
    private static readonly Option<int> Bytes = new("--bytes") { Description = "Bytes of the book to upload.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("sweep", "Run an example sweep in the app and report its best trial, its time against no early stopping, and what mattered.") { SweepFile, BookPath, Bytes, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var (file, bookPath, bytes) = (parse.GetValue(SweepFile)!, parse.GetValue(BookPath)!, parse.GetValue(Bytes));
        await using var host = await BenchHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromHours(6) };
        Console.WriteLine($"Machine: {BenchmarkReport.Machine()}; server at {host.Address}");
        var all = File.ReadAllBytes(RepositoryPath.Resolve(bookPath));
        var book = await BenchClient.UploadAsync(http, all.AsSpan(0, Math.Min(bytes, all.Length)).ToArray(), $"{Path.GetFileNameWithoutExtension(bookPath)}-{bytes}.txt");
        var yaml = Regex.Replace(File.ReadAllText(RepositoryPath.Resolve(file)), @"(?m)^bookId: \d+", $"bookId: {book.Id}");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var created = await http.PostAsync("/api/sweeps", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"The sweep was refused: {await created.Content.ReadAsStringAsync()}");
        var sweep = (await created.Content.ReadFromJsonAsync<SweepDto>(ContractsJson.Options))!;
        var reported = new HashSet<int>();
        while (true)
        {
            foreach (var t in sweep.Trials.Where(t => !t.Status.IsActive() && reported.Add(t.RunId)))
                Console.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} trial {t.Index + 1} ({Describe(t)}): {t.Status.Name()} at step {t.Step:N0}/{t.TotalSteps:N0}, best {t.BestValLoss:F4} {t.Reason}");
            if (sweep.Status != SweepStatus.Running) break;
            await Task.Delay(5000);
            sweep = (await http.GetFromJsonAsync<SweepDto>($"/api/sweeps/{sweep.Id}", ContractsJson.Options))!;
        }
        var wall = clock.Elapsed;

        var runs = new List<RunDto>();
        foreach (var t in sweep.Trials) runs.Add(await BenchClient.RunAsync(http, t.RunId));
        // A trial's whole length, had it not stopped: its own seconds per step (evaluations included) over all its steps.
        var full = runs.Sum(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalSeconds / Math.Max(1, r.Step) * r.TotalSteps);
        var withoutStopping = TimeSpan.FromSeconds(full / sweep.Request.Concurrency);
        var best = sweep.Trials.Single(t => t.RunId == sweep.BestRunId);
        var headline = ParameterImportance.Headline(ParameterImportance.Of(sweep)) ?? "no parameter stood out";
        var steps = (sweep.Trials.Sum(t => t.Step), sweep.Trials.Sum(t => t.TotalSteps));
        var rows = new List<(string, string, string, bool?)>
        {
            ("best trial", $"trial {best.Index + 1}: {Describe(best)}", "", null),
            ("its best validation loss", $"{best.BestValLoss:F4}", $"the Quick CPU preset's {QuickPresetLoss:F2}", best.BestValLoss <= QuickPresetLoss),
            ("trials stopped early", $"{sweep.Trials.Count(t => t.Status == RunStatus.Stopped)} of {sweep.Trials.Count}", "", null),
            ("steps trained", $"{steps.Item1:N0} of {steps.Item2:N0} ({100.0 * steps.Item1 / steps.Item2:F0} %)", "", null),
            ("wall time", Minutes(wall), "about 30 min", null),
            ("the same trials without stopping (from each trial's seconds per step)", Minutes(withoutStopping), "", null),
            ("what mattered", headline, "", null),
        };
        var trials = new StringBuilder("\n| trial | values | status | steps | best validation loss | reason |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var t in sweep.Trials)
            trials.Append(CultureInfo.InvariantCulture, $"| {t.Index + 1} | {Describe(t)} | {t.Status.Name()} | {t.Step:N0} / {t.TotalSteps:N0} | {t.BestValLoss:F4} | {t.Reason} |\n");
        BenchmarkReport.Write(parse.GetValue(Output)!, "sweep", $"Sweeps: `{file}` on the first {bytes:N0} bytes of `{bookPath}` (`sweep`)",
            $". {sweep.Trials.Count} trials, {sweep.Request.Concurrency} at once, successive halving {(sweep.Request.EarlyStopping is null ? "off" : "on")}, seed {sweep.Request.Seed}; "
            + "the app trained them in process, alone on the machine.",
            BenchmarkReport.Table(rows), trials.ToString());
        return 0;
    }

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? $"{span.TotalMinutes:F1} min" : $"{span.TotalSeconds:F1} s";

    private static string Describe(TrialDto t) => string.Join(", ", t.Parameters.Select(p => $"{p.Key} {p.Value}"));
}
