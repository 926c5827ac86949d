using CharRnn.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioServices();

var app = builder.Build();
await app.MigrateStoreAsync();
app.MapStudio();
app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
