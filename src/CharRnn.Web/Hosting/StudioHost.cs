using CharRnn.Web.Apis;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Books;
using CharRnn.Web.Features.Checkpoints;
using CharRnn.Web.Features.Cluster;
using CharRnn.Web.Features.Events;
using CharRnn.Web.Features.Inside;
using CharRnn.Web.Features.Operations;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Runs;
using CharRnn.Web.Features.Sampling;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Features.Sweeps;
using CharRnn.Web.Hubs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OpenTelemetry.Metrics;

namespace CharRnn.Web.Hosting;

/// <summary>The web app put together: its services, its store and its endpoints. <c>Program.cs</c> calls these three.</summary>
public static class StudioHost
{
    /// <summary>Store, files, queue, sampling, hubs, pages and the API's description.</summary>
    public static void AddStudioServices(this WebApplicationBuilder builder)
    {
        // Serve wwwroot/ and the packages' assets (MudBlazor) from the build output in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        // Small bodies everywhere; the book and checkpoint uploads raise the limit to their own (UploadForm), with a 413 that says so.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = UploadForm.MaxRequestBytes);
        var services = builder.Services;
        services.Configure<StudioOptions>(builder.Configuration.GetSection("CharRnn"));
        services.AddStudioFeatures(builder.Configuration.GetConnectionString("Postgres"));
        services.AddHostedService(sp => sp.GetRequiredService<TrainingQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<SlurmExecutor>());
        services.AddHostedService<TrainingHubForwarder>();
        services.AddHostedService<RunEventLog>();
        services.AddHostedService<SignInLink>();

        services.AddUnreadableRequestProblems();
        services.ConfigureHttpJsonOptions(o => ContractsJson.Configure(o.SerializerOptions));
        services.AddStudioSignalR(builder.Configuration.GetConnectionString("Redis"));
        services.AddStudioOpenApi();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(StudioMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddHealthChecks().AddCheck<StudioHealthCheck>("studio");
        services.AddRazorComponents().AddInteractiveServerComponents().AddInteractiveWebAssemblyComponents();
        services.AddMudServices();
        services.AddOwnerSecurity();
        // Sign-in cookies are sealed with data-protection keys: kept in the data folder (the container's volume), so a
        // restarted or rebuilt server still accepts the cookies it gave out; with PostgreSQL, in the store, which every
        // instance sharing it reads, so a cookie from one works on all.
        var dataProtection = services.AddDataProtection().SetApplicationName("CharRnn Studio");
        if (builder.Configuration.GetConnectionString("Postgres") is { Length: > 0 })
            dataProtection.PersistKeysToDbContext<StudioDbContext>();
        else
            services.AddOptions<KeyManagementOptions>().Configure<DataFolder, ILoggerFactory>((o, folder, logs) =>
                o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(folder.Root, "keys")), logs));
    }

    /// <summary>
    /// SignalR as the hubs speak it (<see cref="ContractsJson"/>), and with a Redis connection string the pieces for
    /// several instances: SignalR's Redis backplane carries hub messages to every instance's clients, and the relay
    /// carries training events to every instance's pages. The web app and the Slurm worker both use this, so a worker's
    /// hub messages, serialised once for the backplane, are what a web instance would have sent.
    /// </summary>
    public static void AddStudioSignalR(this IServiceCollection services, string? redis)
    {
        var signalR = services.AddSignalR().AddJsonProtocol(o => ContractsJson.Configure(o.PayloadSerializerOptions));
        if (string.IsNullOrEmpty(redis)) return;
        signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("charrnn"));
        services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(redis));
        services.AddHostedService<RedisTrainingRelay>();
    }

    /// <summary>
    /// The store, the files and the features that the pages, the API and the hubs use; the page tests register these
    /// too. The queue is registered here but started as a hosted service by <see cref="AddStudioServices"/>.
    /// </summary>
    public static IServiceCollection AddStudioFeatures(this IServiceCollection services, string? postgres = null)
    {
        services.AddSingleton(sp => new DataFolder(sp.GetRequiredService<IOptions<StudioOptions>>().Value.DataDirectory));
        services.AddMetrics();
        // SQLite in the data folder unless a PostgreSQL connection string is given.
        services.AddDbContextFactory<StudioDbContext>((sp, options) =>
        {
            if (!string.IsNullOrEmpty(postgres)) options.UseNpgsql(postgres);
            else options.UseSqlite($"Data Source={Path.Combine(sp.GetRequiredService<DataFolder>().Root, "studio.db")}");
        });
        // Books
        services.AddSingleton<BookService>();
        // Runs and the queue that trains them
        services.AddSingleton<RunService>();
        services.AddSingleton<RunRemedy>();
        services.AddSingleton<RunRules>();
        services.AddSingleton<FineTuneStarts>();
        services.AddSingleton<RunDevices>();
        services.AddSingleton<RunHistory>();
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<StepCostCache>();
        services.AddSingleton<TrainingEstimator>();
        // Sweeps
        services.AddSingleton<SweepService>();
        services.AddSingleton<SweepJudge>();
        // The cluster and several instances
        services.AddSingleton<SlurmExecutor>();
        services.AddSingleton<RelayedRunMetrics>();
        // Events
        services.AddSingleton<TrainingBroadcaster>();
        // Checkpoints
        services.AddSingleton<CheckpointFiles>();
        services.AddSingleton<CheckpointWeights>();
        services.AddSingleton<CheckpointImporter>();
        services.AddSingleton<CheckpointScoring>();
        // Sampling and passages
        services.AddSingleton<SamplingService>();
        services.AddSingleton<SamplingBatcher>();
        services.AddSingleton<SamplingGate>();
        services.AddSingleton<PassageService>();
        // Inside the model
        services.AddMemoryCache();
        services.AddSingleton<InsideService>();
        // Access and operations
        services.AddSingleton<OwnerAccess>();
        services.AddSingleton<RunLinks>();
        services.AddSingleton<SweepLinks>();
        services.AddSingleton<StudioMetrics>();
        return services;
    }

    /// <summary>Creates or upgrades the database (migrations for SQLite; PostgreSQL is created from the model).</summary>
    public static async Task MigrateStoreAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        await using var context = await factory.CreateDbContextAsync();
        if (context.Database.IsSqlite()) await context.Database.MigrateAsync();
        else await context.Database.EnsureCreatedAsync();
    }

    public static void MapStudio(this WebApplication app)
    {
        app.UseExceptionHandler(UnreadableRequests.Options());
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapBooksApi();
        app.MapRunsApi();
        app.MapSweepsApi();
        app.MapCheckpointsApi();
        app.MapInsideApi();
        app.MapSamplesApi();
        app.MapPassagesApi();
        app.MapAccountApi();
        app.MapStudioOpenApi();
        app.MapHub<TrainingHub>("/hubs/training").RequireAuthorization(OwnerAccess.ReadPolicy);
        app.MapHub<SamplingHub>("/hubs/sampling").RequireAuthorization(OwnerAccess.Policy); // sampling costs the server's compute
        app.MapHealthChecks("/health", HealthResponse.Options);
        // Built now, so that its gauges (runs by status and by health) are scraped from the start, not from the first page or hub that uses it.
        app.Services.GetRequiredService<StudioMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(OwnerAccess.ReadPolicy);
        app.MapRazorComponents<Components.App>()
            .AddInteractiveServerRenderMode()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Client.Routes).Assembly);
    }
}
