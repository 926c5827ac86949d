using System.Security.Claims;
using CharRnn.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CharRnn.Web.Security;

/// <summary>ASP.NET Core's own authentication and authorization, set up for <see cref="OwnerAccess"/>.</summary>
public static class SecurityExtensions
{
    public static void AddOwnerSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "charrnn-owner";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.LoginPath = "/signin";
                options.ExpireTimeSpan = TimeSpan.FromDays(30);
                // Scripts and hubs get a status, not a redirect to a page.
                options.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, OwnerTokenHandler>(OwnerTokenHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, OwnerRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, ReaderRequirementHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(OwnerAccess.Policy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme, OwnerTokenHandler.SchemeName)
                .AddRequirements(new OwnerRequirement()))
            .AddPolicy(OwnerAccess.ReadPolicy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme, OwnerTokenHandler.SchemeName)
                .AddRequirements(new ReaderRequirement()));
        services.AddCascadingAuthenticationState();
        // An exposed app answers only to its own host names (against DNS rebinding), unless AllowedHosts says otherwise.
        services.AddOptions<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>()
            .PostConfigure<IConfiguration, Microsoft.Extensions.Options.IOptions<StudioOptions>>((hosts, configuration, studio) =>
            {
                if (OwnerAccess.IsExposed(studio.Value, configuration) && hosts.AllowedHosts is ["*"]
                    && OwnerAccess.AllowedHostsFor(OwnerAccess.Urls(configuration)) is { } allowed) hosts.AllowedHosts = allowed;
            });
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary><c>GET /account/signin?token=</c> (the link the log prints), <c>POST /account/signin</c> (the sign-in form), <c>POST /account/signout</c>.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signin", (string? token, string? returnUrl, HttpContext http, OwnerAccess access) => SignInAsync(http, access, token, returnUrl));
        app.MapPost("/account/signin", ([FromForm] string? token, [FromForm] string? returnUrl, HttpContext http, OwnerAccess access) => SignInAsync(http, access, token, returnUrl));
        app.MapPost("/account/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext http, OwnerAccess access, string? token, string? returnUrl)
    {
        var back = returnUrl is { Length: > 0 } url && Uri.IsWellFormedUriString(url, UriKind.Relative) && url.StartsWith('/') && !url.StartsWith("//") ? url : "/";
        if (!access.Accepts(token)) return Results.LocalRedirect($"/signin?failed=true&returnUrl={Uri.EscapeDataString(back)}");
        var identity = new ClaimsIdentity([new Claim(OwnerAccess.OwnerClaim, "true")], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(back);
    }
}
