using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace CharRnn.Web.Features.Access;

/// <summary>ASP.NET Core's own authentication and authorization, set up for <see cref="OwnerAccess"/>.</summary>
public static class OwnerSecurity
{
    /// <summary>The cookie signing in sets: the owner's, for 30 days.</summary>
    public const string CookieName = "charrnn-owner";

    public static void AddOwnerSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
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
            .PostConfigure<IConfiguration, Microsoft.Extensions.Options.IOptions<Settings.StudioOptions>>((hosts, configuration, studio) =>
            {
                if (Exposure.IsExposed(studio.Value, configuration) && hosts.AllowedHosts is ["*"]
                    && Exposure.AllowedHostsFor(Exposure.Urls(configuration)) is { } allowed) hosts.AllowedHosts = allowed;
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
}
