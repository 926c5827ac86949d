using CharRnn.Web.Hosting;

// `CharRnn.Web.dll worker RUN_ID` trains one stored run and exits: what a Slurm job runs (WorkerHost).
if (args is ["worker", var run, ..] && int.TryParse(run, out var runId)) return await WorkerHost.RunAsync(runId, args[2..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioServices();

var app = builder.Build();
await app.MigrateStoreAsync();
app.MapStudio();
app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
