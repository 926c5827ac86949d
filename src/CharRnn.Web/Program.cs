using CharRnn.Web;
using CharRnn.Web.Bench;
using CharRnn.Web.Services;

// `dotnet run --project src/CharRnn.Web -- bench` measures streamed sampling and training side by side;
// `… -- bench estimate` sets the New run page's time estimates beside real runs;
// `… -- bench soak` trains while 20 clients watch and 4 sample, for 10 minutes;
// `… -- bench cluster` times the Slurm executor and two instances;
// `CharRnn.Web.dll worker RUN_ID` trains one stored run (what a Slurm job runs).
if (args is ["worker", var run, ..] && int.TryParse(run, out var runId)) return await RunWorker.RunAsync(runId, args[2..]);
if (args is ["bench", "estimate", ..]) return await EstimateBench.RunAsync(args[2..]);
if (args is ["bench", "soak", ..]) return await SoakBench.RunAsync(args[2..]);
if (args is ["bench", "cluster", ..]) return await ClusterBench.RunAsync(args[2..]);
if (args is ["bench", ..]) return await WebBench.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioServices();

var app = builder.Build();
await app.MigrateStoreAsync();
app.MapStudio();
app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
