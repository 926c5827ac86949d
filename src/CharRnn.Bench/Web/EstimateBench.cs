using System.CommandLine;
using System.Net.Http.Json;
using CharRnn.Bench.Reports;

namespace CharRnn.Bench.Web;

/// <summary>
/// <c>charrnn-bench estimate</c>: uploads the first megabyte of a book to
/// the app, asks for the New run page's estimate of each preset (<c>POST /api/runs/estimate</c>, the same service
/// the page calls), trains each run to its end and sets the estimate beside the run's measured wall time.
/// </summary>
public static class EstimateBench
{
    private static readonly Option<string> BookPath = new("--book") { Description = "The book whose start is trained on.", DefaultValueFactory = _ => "corpus/anna.txt" };
    private static readonly Option<int> Bytes = new("--bytes") { Description = "Bytes of the book to upload.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<int> NotebookEpochs = new("--notebook-epochs") { Description = "Epochs of the Notebook run (every epoch costs the same).", DefaultValueFactory = _ => TrainingPresets.Notebook.Options.Epochs };
    private static readonly Option<string> Output = BenchmarkReport.OutputOption();

    public static Command Create()
    {
        var command = new Command("estimate", "Set the New run page's time estimates beside real runs of the presets.") { BookPath, Bytes, NotebookEpochs, Output };
        command.SetAction(parse => BenchErrors.Run(() => RunAsync(parse)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var (bookPath, bytes, notebookEpochs) = (parse.GetValue(BookPath)!, parse.GetValue(Bytes), parse.GetValue(NotebookEpochs));
        void Log(string line) => Console.WriteLine(line);

        await using var host = await BenchHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromHours(3) };
        Log($"Machine: {BenchmarkReport.Machine()}; server at {host.Address}");
        var text = File.ReadAllBytes(RepositoryPath.Resolve(bookPath)).AsSpan(0, bytes).ToArray();
        var book = await BenchClient.UploadAsync(http, text, $"{Path.GetFileNameWithoutExtension(bookPath)}-{bytes}.txt");
        Log($"Book: {book.Name}, {book.SizeBytes:N0} bytes, {book.Characters:N0} characters");

        var rows = new List<(string, string, string, bool?)>();
        foreach (var (name, preset) in new[] { (TrainingPresets.Quick.Name, TrainingPresets.Quick.Options), (TrainingPresets.Notebook.Name, TrainingPresets.Notebook.Options with { Epochs = notebookEpochs }) })
        {
            var request = CreateRunRequest.For(book.Id, preset with { Seed = 1, Device = DeviceChoice.Cpu }, name);
            var estimate = (await (await http.PostAsJsonAsync("/api/runs/estimate", request, ContractsJson.Options)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RunEstimate>(ContractsJson.Options))!;
            Log($"{name}: {estimate.Steps:N0} steps, {estimate.Evaluations:N0} evaluations, estimated {estimate.Seconds:N0} s ({estimate.Basis}); training…");
            var run = await BenchClient.CreateRunAsync(http, request);
            while (run.Status.IsActive())
            {
                await Task.Delay(1000);
                run = await BenchClient.RunAsync(http, run.Id);
            }
            if (run.Status != RunStatus.Completed) throw new InvalidOperationException($"The {name} run ended {run.Status.Name()}: {run.Error}");
            var measured = (run.FinishedAt!.Value - run.StartedAt!.Value).TotalSeconds;
            var ratio = estimate.Seconds!.Value / measured;
            Log($"{name}: measured {measured:N0} s; estimate/measured = {ratio:F2}");
            var shape = $"{preset.Layers}×{preset.Hidden}, batch {preset.BatchSize}×{preset.SequenceLength}, {preset.Epochs} epochs, evaluate every {preset.EvaluateEvery}";
            rows.Add(($"{name} ({shape}): estimated / measured", $"{estimate.Seconds:N0} s / {measured:N0} s = {ratio:F2}", "0.70–1.30", ratio is >= 0.7 and <= 1.3));
        }

        BenchmarkReport.Write(parse.GetValue(Output)!, "estimate", "Web: the New run page's time estimate against the real run (`estimate`)",
            $". The book is the first {bytes:N0} bytes of `{bookPath}` "
            + $"({book.Characters:N0} characters). Each preset's estimate comes from `POST /api/runs/estimate` (the service behind the New run page), "
            + "which times a few steps of that model on the server; each run then trained to its end in the app, and its wall time is "
            + "from `startedAt` to `finishedAt`."
            + (notebookEpochs != TrainingPresets.Notebook.Options.Epochs ? $" The Notebook preset ran {notebookEpochs} of its {TrainingPresets.Notebook.Options.Epochs} epochs (`--notebook-epochs`): every epoch costs the same, so the ratio holds for the whole run." : ""),
            BenchmarkReport.Table(rows));
        return 0;
    }
}
