using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;

// The browser side of the app: only pages marked InteractiveWebAssembly run here; the server renders the rest.
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddMudServices();
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<CharRnn.Web.Client.Sampling.IModelSource, CharRnn.Web.Client.Sampling.BrowserModelStore>();
await builder.Build().RunAsync();
