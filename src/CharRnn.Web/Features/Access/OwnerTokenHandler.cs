using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Access;

/// <summary>Scripts sign in with <c>Authorization: Bearer OWNER_TOKEN</c> (and SignalR clients with their access token).</summary>
public sealed class OwnerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OwnerAccess access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OwnerToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        // SignalR's browser and .NET clients send the token as a query string on WebSocket requests.
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : Request.Path.StartsWithSegments("/hubs") ? Request.Query["access_token"].ToString() : null;
        if (string.IsNullOrEmpty(token)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!access.Accepts(token)) return Task.FromResult(AuthenticateResult.Fail("The owner token is not this server's."));
        var identity = new ClaimsIdentity([new Claim(OwnerAccess.OwnerClaim, "true")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>Only scripts' and hubs' requests are answered 401 here; a page's visitor is sent to sign in by the cookie scheme.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/api") || Request.Path.StartsWithSegments("/hubs")) Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}
