using System.Text.Json;
using System.Text.Json.Serialization;
using CharRnn.Web.Apis;
using CharRnn.Web.Contracts;
using CharRnn.Web.Data;
using CharRnn.Web.Hubs;
using CharRnn.Web.Security;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using OpenTelemetry.Metrics;

namespace CharRnn.Web;

public static class Extensions
{
    /// <summary>The largest checkpoint import, and the most a book's limit (<c>CharRnn:MaxBookBytes</c>) can usefully be raised to.</summary>
    public const long MaxUploadBytes = 256L * 1024 * 1024;

    /// <summary>The largest request body anywhere else (a passage of 200,000 characters fits): the upload endpoints raise it for themselves.</summary>
    public const long MaxRequestBytes = 2L * 1024 * 1024;

    /// <summary>Store, files, queue, sampling, hubs and pages.</summary>
    public static void AddStudioServices(this WebApplicationBuilder builder)
    {
        // Serve wwwroot/ and the packages' assets (MudBlazor) from the build output in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        // Small bodies everywhere; the book and checkpoint uploads raise the limit to their own (UploadForm), with a 413 that says so.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        var services = builder.Services;
        services.Configure<StudioOptions>(builder.Configuration.GetSection("CharRnn"));
        services.AddStudioCore(builder.Configuration.GetConnectionString("Postgres"));
        services.AddHostedService(sp => sp.GetRequiredService<TrainingQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<SlurmExecutor>());
        services.AddHostedService<TrainingHubForwarder>();
        services.AddHostedService<RunEventLog>();

        services.AddProblemDetails();
        // NaN and infinities are written as "NaN"/"Infinity" rather than failing the whole response: a diverged run stops
        // before recording such a loss, but a figure stored by an older version must not take a page down.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        services.AddStudioSignalR(builder.Configuration.GetConnectionString("Redis"));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(StudioMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddHealthChecks().AddCheck<Services.StudioHealthCheck>("studio");
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
    /// SignalR as the hubs speak it (enums in camelCase, NaN as a literal), and with a Redis connection string the pieces
    /// for several instances: SignalR's Redis backplane carries hub messages to every instance's clients, and the relay
    /// carries training events to every instance's pages. The web app and the Slurm worker both use this, so a worker's
    /// hub messages, serialised once for the backplane, are what a web instance would have sent.
    /// </summary>
    public static void AddStudioSignalR(this IServiceCollection services, string? redis)
    {
        var signalR = services.AddSignalR().AddJsonProtocol(o =>
        {
            o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.PayloadSerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        if (string.IsNullOrEmpty(redis)) return;
        signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("charrnn"));
        services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(redis));
        services.AddHostedService<RedisTrainingRelay>();
    }

    /// <summary>
    /// The store, the files and the services the pages, the API and the hubs share; the page tests register
    /// these too. The queue is registered here but started as a hosted service by <see cref="AddStudioServices"/>.
    /// </summary>
    public static IServiceCollection AddStudioCore(this IServiceCollection services, string? postgres = null)
    {
        services.AddSingleton<DataFolder>();
        services.AddMetrics();
        // SQLite in the data folder unless a PostgreSQL connection string is given.
        services.AddDbContextFactory<StudioDbContext>((sp, options) =>
        {
            if (!string.IsNullOrEmpty(postgres)) options.UseNpgsql(postgres);
            else options.UseSqlite($"Data Source={Path.Combine(sp.GetRequiredService<DataFolder>().Root, "studio.db")}");
        });
        services.AddSingleton<BookService>();
        services.AddSingleton<TrainingBroadcaster>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<SlurmExecutor>();
        services.AddSingleton<RunService>();
        services.AddSingleton<StepCostCache>();
        services.AddSingleton<TrainingEstimator>();
        services.AddSingleton<RunHistory>();
        services.AddSingleton<RelayedRunMetrics>();
        services.AddSingleton<SamplingService>();
        services.AddSingleton<SamplingBatcher>();
        services.AddSingleton<StudioMetrics>();
        services.AddSingleton<SamplingGate>();
        services.AddSingleton<CheckpointImporter>();
        services.AddSingleton<PassageService>();
        services.AddSingleton<CheckpointScoring>();
        services.AddSingleton<OwnerAccess>();
        services.AddSingleton<RunLinks>();
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
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapBooksApi();
        app.MapRunsApi();
        app.MapCheckpointsApi();
        app.MapSamplesApi();
        app.MapPassagesApi();
        app.MapHub<TrainingHub>("/hubs/training").RequireAuthorization(OwnerAccess.ReadPolicy);
        app.MapHub<SamplingHub>("/hubs/sampling").RequireAuthorization(OwnerAccess.Policy); // sampling costs the server's compute
        app.MapAccountEndpoints();
        app.MapHealthChecks("/health", HealthResponse.Options);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(OwnerAccess.ReadPolicy);
        app.MapRazorComponents<Components.App>()
            .AddInteractiveServerRenderMode()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Client.Routes).Assembly);
    }
}
