using System.Security.Claims;
using CharRnn.Web.Features.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CharRnn.Web.Apis;

/// <summary>
/// Signing in as the owner: <c>GET /account/signin?token=</c> (the link the log prints at start), <c>POST /account/signin</c>
/// (the sign-in page's form) and <c>POST /account/signout</c>. Each answers with a redirect, as a browser expects.
/// </summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/account").WithTags("Account");
        // Each answers with a redirect (302): to where the visitor was going, or back to the sign-in page. Their words for
        // the API's description are here, since a lambda carries no XML comment.
        const string Cookie = $"The owner's cookie (`{OwnerSecurity.CookieName}`) is set for 30 days, and the answer redirects to `returnUrl`; a wrong token redirects back to the sign-in page. Scripts send `Authorization: Bearer TOKEN` instead.";
        api.MapGet("/signin", (string? token, string? returnUrl, HttpContext http, OwnerAccess access) => SignInAsync(http, access, token, returnUrl))
            .Produces(StatusCodes.Status302Found).WithName("signInWithLink").WithSummary("Sign in with the owner's link")
            .WithDescription("The link the log prints at start, with the owner token in `token`. " + Cookie);
        api.MapPost("/signin", ([FromForm] string? token, [FromForm] string? returnUrl, HttpContext http, OwnerAccess access) => SignInAsync(http, access, token, returnUrl))
            .Produces(StatusCodes.Status302Found).WithName("signIn").WithSummary("Sign in with the owner token")
            .WithDescription("The sign-in page's form, with the owner token in `token`. " + Cookie);
        api.MapPost("/signout", (Delegate)SignOutAsync).Produces(StatusCodes.Status302Found).WithName("signOut").WithSummary("Sign out")
            .WithDescription("Removes the owner's cookie and redirects to the home page.");
        return api;
    }

    private static async Task<RedirectHttpResult> SignInAsync(HttpContext http, OwnerAccess access, string? token, string? returnUrl)
    {
        var back = returnUrl is { Length: > 0 } url && Uri.IsWellFormedUriString(url, UriKind.Relative) && url.StartsWith('/') && !url.StartsWith("//") ? url : "/";
        if (!access.Accepts(token)) return TypedResults.LocalRedirect($"/signin?failed=true&returnUrl={Uri.EscapeDataString(back)}");
        var identity = new ClaimsIdentity([new Claim(OwnerAccess.OwnerClaim, "true")], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/");
    }
}
