using System.Net.Http.Json;
using System.Text.Json;
using CharRnn.Training;
using CharRnn.Training.Benchmarks;
using CharRnn.Web.Contracts;
using CharRnn.Web.Components.Pages;
using CharRnn.Web.Services;

namespace CharRnn.Web.Bench;

/// <summary>
/// <c>dotnet run -c Release --project src/CharRnn.Web -- bench estimate</c>: uploads the first megabyte of a book to
/// the app, asks for the New run page's estimate of each preset (<c>POST /api/runs/estimate</c>, the same service
/// the page calls), trains each run to its end and sets the estimate beside the run's measured wall time.
/// </summary>
public static class EstimateBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var bookPath = WebBench.StringArg(args, "--book", "corpus/anna.txt");
        var bytes = WebBench.IntArg(args, "--bytes", 1_000_000);
        var notebookEpochs = WebBench.IntArg(args, "--notebook-epochs", TrainingPresets.Notebook.Epochs);
        var output = WebBench.StringArg(args, "--output", "docs/benchmarks.md");
        void Log(string line) => Console.WriteLine(line);

        await using var host = await BenchHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromHours(3) };
        Log($"Machine: {BenchmarkReport.Machine()}; server at {host.Address}");
        var text = File.ReadAllBytes(RepositoryPath.Resolve(bookPath)).AsSpan(0, bytes).ToArray();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(text), "file", $"{Path.GetFileNameWithoutExtension(bookPath)}-{bytes}.txt" } };
        var book = (await (await http.PostAsync("/api/books", form)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<BookDto>(JsonSerializerOptions.Web))!;
        Log($"Book: {book.Name}, {book.SizeBytes:N0} bytes, {book.Characters:N0} characters");

        var rows = new List<(string, string, string, bool?)>();
        foreach (var (name, preset) in new[] { ("Quick CPU", TrainingPresets.QuickCpu), ("Notebook", TrainingPresets.Notebook with { Epochs = notebookEpochs }) })
        {
            var request = new CreateRunRequest(book.Id, name, preset.Hidden, preset.Layers, preset.Dropout, preset.LearningRate, preset.BatchSize,
                preset.SequenceLength, preset.Epochs, preset.GradientClip, preset.ValidationFraction, preset.EvaluateEvery, Seed: 1, Device: "cpu");
            var estimate = (await (await http.PostAsJsonAsync("/api/runs/estimate", request)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RunEstimate>(JsonSerializerOptions.Web))!;
            Log($"{name}: {estimate.Steps:N0} steps, {estimate.Evaluations:N0} evaluations, estimated {estimate.Seconds:N0} s ({estimate.Basis}); training…");
            var run = (await (await http.PostAsJsonAsync("/api/runs", request)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RunDto>(JsonSerializerOptions.Web))!;
            while (run.Status is "queued" or "running")
            {
                await Task.Delay(1000);
                run = (await http.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}", JsonSerializerOptions.Web))!;
            }
            if (run.Status != "completed") throw new InvalidOperationException($"The {name} run ended {run.Status}: {run.Error}");
            var measured = (run.FinishedAt!.Value - run.StartedAt!.Value).TotalSeconds;
            var ratio = estimate.Seconds!.Value / measured;
            Log($"{name}: measured {measured:N0} s; estimate/measured = {ratio:F2}");
            var shape = $"{preset.Layers}×{preset.Hidden}, batch {preset.BatchSize}×{preset.SequenceLength}, {preset.Epochs} epochs, evaluate every {preset.EvaluateEvery}";
            rows.Add(($"{name} ({shape}): estimated / measured", $"{estimate.Seconds:N0} s / {measured:N0} s = {ratio:F2}", "0.70–1.30", ratio is >= 0.7 and <= 1.3));
        }

        var table = BenchmarkReport.Table(rows);
        Console.WriteLine();
        Console.WriteLine(table);
        if (output != "-")
        {
            BenchmarkReport.WriteSection(RepositoryPath.Resolve(output), "estimate",
                "## Web: the New run page's time estimate against the real run (`CharRnn.Web bench estimate`)\n\n"
                + $"Command: `{string.Join(" ", ["dotnet run -c Release --project src/CharRnn.Web -- bench estimate", .. args])}`\n\n"
                + $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchmarkReport.Machine()}. The book is the first {bytes:N0} bytes of `{bookPath}` "
                + $"({book.Characters:N0} characters). Each preset's estimate comes from `POST /api/runs/estimate` (the service behind the New run page), "
                + "which times a few steps of that model on the server; each run then trained to its end in the app, and its wall time is "
                + "from `startedAt` to `finishedAt`."
                + (notebookEpochs != TrainingPresets.Notebook.Epochs ? $" The Notebook preset ran {notebookEpochs} of its {TrainingPresets.Notebook.Epochs} epochs (`--notebook-epochs`): every epoch costs the same, so the ratio holds for the whole run." : "")
                + "\n\n" + table);
            Console.WriteLine($"Written to {output}");
        }
        return 0;
    }
}
