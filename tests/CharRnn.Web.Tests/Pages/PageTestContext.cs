using Bunit;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;
using CharRnn.Inference.Tokens;
using CharRnn.Training.Loop;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Books;
using CharRnn.Web.Features.Queue;
using CharRnn.Web.Features.Settings;
using CharRnn.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CharRnn.Web.Tests.Pages;

/// <summary>
/// bunit with the app's real services over a real SQLite file in a temporary data folder. The training
/// queue is registered but not started: page tests publish training events themselves.
/// </summary>
public abstract class PageTestContext : BunitContext, IAsyncLifetime
{
    protected PageTestContext()
    {
        DataDirectory = Directory.CreateTempSubdirectory("charrnn-page-").FullName;
        Services.AddMudServices();
        Services.AddLogging();
        Services.Configure<StudioOptions>(o => (o.DataDirectory, o.MaxBookBytes) = (DataDirectory, 100_000));
        Services.AddStudioFeatures();
        Services.AddSingleton(SharedCosts);
        AddServices(Services);
        // Both touch the renderer, which builds the service provider: after the registrations.
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", true));
    }

    /// <summary>Timing the notebook's model for the New run page's estimate takes seconds: time each shape once for all tests, as the app does once per process.</summary>
    private static readonly StepCostCache SharedCosts = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<StepCostCache>.Instance);

    protected string DataDirectory { get; }

    protected IDbContextFactory<StudioDbContext> Db => Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

    public async Task InitializeAsync()
    {
        await using var context = await Db.CreateDbContextAsync();
        await context.Database.MigrateAsync();
        Render<MudPopoverProvider>();
    }

    /// <summary>Registers what a test class's pages need beyond the app's services (called before the provider is built).</summary>
    protected virtual void AddServices(IServiceCollection services) { }

    /// <summary>Stops what a test class started beside the page (a server), before the data folder goes.</summary>
    protected virtual void DisposeMore() { }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        DisposeMore();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Renders a page at an address, so its query-string parameters are set as a browser would set them.</summary>
    protected IRenderedComponent<T> RenderAt<T>(string uri) where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<T>();
    }

    /// <summary>The input element marked with <paramref name="attribute"/>: MudBlazor puts such attributes on the input itself or on its wrapper.</summary>
    protected static AngleSharp.Dom.IElement Input(IRenderedComponent<IComponent> cut, string attribute)
    {
        var marked = cut.Find($"[{attribute}]");
        return marked.TagName == "INPUT" ? marked : marked.QuerySelector("input")!;
    }

    protected async Task<BookDto> AddBookAsync(string text) =>
        (await Services.GetRequiredService<BookService>().AddAsync(System.Text.Encoding.UTF8.GetBytes(text), "verse.txt")).Value;

    /// <summary>A run stored as the queue would leave it, with the notebook's options unless given others.</summary>
    protected async Task<Run> AddRunAsync(int bookId, RunStatus status = RunStatus.Running, long step = 0, long totalSteps = 1000, TrainingOptions? options = null)
    {
        await using var context = await Db.CreateDbContextAsync();
        var run = new Run
        {
            BookId = bookId, Name = "test run", Status = status, OptionsJson = TrainingJson.Write(options ?? new TrainingOptions()),
            Step = step, TotalSteps = totalSteps, Device = "CPU", CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        context.Runs.Add(run);
        await context.SaveChangesAsync();
        return run;
    }

    /// <summary>A small random-weight checkpoint over <paramref name="alphabet"/>, stored and listed like a run's.</summary>
    protected async Task<CheckpointRecord> AddCheckpointAsync(string alphabet, int? runId, double? valLoss, long step = 10, int hidden = 16)
    {
        var vocabulary = Vocabulary.FromText(alphabet);
        var config = new ModelConfig(hidden, 1, 0, vocabulary.Count);
        var random = new SeededRandom(step);
        var tensors = Checkpoint.ParameterNames(1).ToDictionary(n => n, n =>
        {
            var shape = Checkpoint.ExpectedShape(n, config);
            var values = new float[TensorData.ElementCount(shape)];
            for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5);
            return new TensorData(shape, values);
        });
        var relative = Path.Combine("imports", $"{Guid.NewGuid():N}.safetensors");
        CheckpointFile.Write(Path.Combine(DataDirectory, relative), new Checkpoint(config, vocabulary, tensors, null, DateTimeOffset.UtcNow));
        var record = new CheckpointRecord { RunId = runId, Step = step, ValLoss = valLoss, RelativePath = relative, SizeBytes = new FileInfo(Path.Combine(DataDirectory, relative)).Length, CreatedAt = DateTime.UtcNow, Name = "random" };
        await using var context = await Db.CreateDbContextAsync();
        context.Checkpoints.Add(record);
        await context.SaveChangesAsync();
        return record;
    }
}
