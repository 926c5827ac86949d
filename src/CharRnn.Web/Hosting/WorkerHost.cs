using System.Runtime.InteropServices;
using CharRnn.Training.Devices;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Hubs;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Hosting;

/// <summary>
/// <c>dotnet CharRnn.Web.dll worker RUN_ID</c>: trains one stored run to its end and exits, as a Slurm job does.
/// Same settings as the web app (appsettings.json, <c>CharRnn__*</c> and <c>ConnectionStrings__*</c> variables): the
/// shared store and data folder, and Redis, through which its progress reaches every web instance's watchers. It
/// resumes from the run's newest checkpoint; on SIGTERM it saves one and exits (the run is then interrupted, or
/// cancelled when a person asked for it).
/// </summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(int runId, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var services = builder.Services;
        services.Configure<StudioOptions>(builder.Configuration.GetSection("CharRnn"));
        services.AddStudioFeatures(builder.Configuration.GetConnectionString("Postgres"));
        services.AddHostedService<RunEventLog>();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // The hub's messages go out through SignalR's Redis backplane, as a web instance's would.
            services.AddStudioSignalR(redis);
            services.AddHostedService<TrainingHubForwarder>();
        }
        using var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CharRnn.Worker");
        await host.StartAsync();

        var jobId = Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        var name = jobId is null ? $"worker:{Environment.MachineName}:{Environment.ProcessId}" : $"slurm:{jobId}";
        var db = host.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        TrainingDevice device;
        await using (var context = await db.CreateDbContextAsync())
        {
            var run = await context.Runs.FindAsync(runId);
            if (run is null) { log.LogError("There is no run {RunId}", runId); return 2; }
            device = TrainingDevices.Here(run.Options.Device); // this node's device: a job asking for cuda got a GPU from Slurm
        }
        var active = await host.Services.GetRequiredService<RunExecutor>().PrepareAsync(runId, device, CancellationToken.None, name, jobId);
        if (active is null)
        {
            log.LogWarning("Run {RunId} is not waiting for this worker ({Worker}): another one has it, or it has ended", runId, name);
            await host.StopAsync();
            return 3;
        }
        log.LogInformation("Worker {Worker} trains run {RunId} on {Device}", name, runId, device.Describe());
        // scancel, a node going down or the end of the time limit send SIGTERM: stop after the step, with a checkpoint.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; active.Cancel(byUser: false); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; active.Cancel(byUser: false); });
        await Task.Factory.StartNew(() => host.Services.GetRequiredService<RunExecutor>().Execute(active), TaskCreationOptions.LongRunning);
        await Task.Delay(500); // the last events reach Redis
        await host.StopAsync();
        return 0;
    }
}
