using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CharRnn.Contracts;

namespace CharRnn.Cli.Commands;

/// <summary>
/// <c>charrnn sweep FILE --server URL [--token T]</c>: posts a sweep written as YAML or JSON to a CharRnn Studio server,
/// as is, then follows it: a line when a trial starts, reaches a rung (and whether it goes on), and ends; the best trial
/// at the end. Ctrl+C stops following; the sweep goes on on the server.
/// </summary>
internal static class SweepCommand
{
    private static readonly Argument<FileInfo> File = new("file") { Description = "The sweep: YAML (.yaml, .yml) or JSON, as POST /api/sweeps takes it (see examples/sweeps/)." };
    private static readonly Option<string> Server = new("--server") { Description = "The server's address.", DefaultValueFactory = _ => "http://localhost:5000" };
    private static readonly Option<string?> Token = new("--token") { Description = "The owner token, when the server asks for one (default: the CHARRNN_TOKEN environment variable)." };
    private static readonly Option<bool> NoFollow = new("--no-follow") { Description = "Submit and print the sweep's address, without following it." };
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var command = new Command("sweep", "Start a sweep on a server and follow its trials.") { File, Server, Token, NoFollow };
        command.SetAction((parse, ct) => CliErrors.Run(() => RunAsync(parse, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var file = parse.GetValue(File)!;
        if (!file.Exists) throw new IOException($"There is no file {file.FullName}.");
        if (!Uri.TryCreate(parse.GetValue(Server), UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--server must be an http or https address, such as http://localhost:5000; it was '{parse.GetValue(Server)}'.");
        using var http = new HttpClient { BaseAddress = server };
        if ((parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("CHARRNN_TOKEN")) is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var yaml = file.Extension.ToLowerInvariant() is ".yaml" or ".yml";
        var body = new StringContent(await System.IO.File.ReadAllTextAsync(file.FullName, ct), Encoding.UTF8, yaml ? "application/yaml" : "application/json");
        SweepDto sweep;
        try
        {
            var response = await http.PostAsync("/api/sweeps", body, ct);
            if (!response.IsSuccessStatusCode) return Refused(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            sweep = (await response.Content.ReadFromJsonAsync<SweepDto>(ContractsJson.Options, ct))!;
        }
        catch (HttpRequestException e) { throw new IOException($"The server at {server} did not answer: {e.Message}", e); }
        var page = new Uri(server, $"/sweeps/{sweep.Id}");
        Console.WriteLine($"Sweep {sweep.Id} \"{sweep.Name}\": {sweep.Trials.Count} trials, {sweep.Request.Concurrency} at a time. Watch it at {page}");
        if (parse.GetValue(NoFollow)) return 0;

        var seen = new Dictionary<int, (RunStatus Status, int Rungs)>();
        try
        {
            while (true)
            {
                foreach (var trial in sweep.Trials) Report(trial, seen);
                if (sweep.Status != SweepStatus.Running) break;
                await Task.Delay(PollEvery, ct);
                sweep = (await http.GetFromJsonAsync<SweepDto>($"/api/sweeps/{sweep.Id}", ContractsJson.Options, ct))!;
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"Stopped following; the sweep goes on at {page}");
            return CliErrors.Interrupted;
        }
        var best = sweep.Trials.FirstOrDefault(t => t.RunId == sweep.BestRunId);
        Console.WriteLine($"Sweep {sweep.Id} {ContractsJson.Name(sweep.Status)}: {sweep.Trials.Count(t => t.Status == RunStatus.Stopped)} of {sweep.Trials.Count} trials stopped early.");
        if (best is not null) Console.WriteLine($"Best: trial {best.Index + 1} ({Describe(best)}), validation loss {best.BestValLoss:F4}, run {best.RunId}: {new Uri(server, $"/runs/{best.RunId}")}");
        return 0;
    }

    /// <summary>Prints what changed for the trial since the last look: its start, each new rung, its end.</summary>
    private static void Report(TrialDto trial, Dictionary<int, (RunStatus Status, int Rungs)> seen)
    {
        var (status, rungs) = seen.GetValueOrDefault(trial.RunId, (RunStatus.Queued, 0));
        var name = $"trial {trial.Index + 1}";
        if (status == RunStatus.Queued && trial.Status != RunStatus.Queued) Console.WriteLine($"{name} started: {Describe(trial)}");
        foreach (var rung in trial.Rungs.Skip(rungs))
            Console.WriteLine($"{name} {rung.Standing()}: {(rung.Continued ? "goes on" : "stopped")}");
        if (trial.Status != status && !trial.Status.IsActive())
            Console.WriteLine($"{name} {trial.Status.Name()}" + (trial.Reason is { } reason && trial.Status == RunStatus.Stopped ? $": {reason}" : $", best validation loss {trial.BestValLoss:F4}"));
        seen[trial.RunId] = (trial.Status, trial.Rungs.Count);
    }

    private static string Describe(TrialDto trial) => string.Join(", ", trial.Parameters.Select(p => $"{p.Key} {p.Value}"));

    /// <summary>The server's refusal, its problem's detail when it sent one.</summary>
    private static int Refused(System.Net.HttpStatusCode status, string body)
    {
        string detail;
        try { detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { detail = body; }
        Console.Error.WriteLine($"charrnn: the server refused the sweep ({(int)status}): {detail}");
        return CliErrors.BadInput;
    }
}
