using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Sampling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary><c>/api/passages</c>: generated passages kept for sharing; each one's page is <c>/p/{slug}</c>.</summary>
public static class PassagesApi
{
    public static RouteGroupBuilder MapPassagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/passages").WithTags("Passages").ProducesProblems(400, 404);
        api.MapPost("/", Create).WithName("sharePassage").RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/{slug}", Get).WithName("getPassage");
        return api;
    }

    /// <summary>Share a passage</summary>
    /// <remarks>Keeps a generated passage with its checkpoint, prime, settings and seed; its page is the answer's `url` (`/p/{slug}`).</remarks>
    public static async Task<Results<Created<PassageDto>, ProblemHttpResult>> Create(PassageRequest request, PassageService passages, CancellationToken ct) =>
        (await passages.CreateAsync(request, ct)).CreatedOrProblem(p => p.Url);

    /// <summary>Get a shared passage</summary>
    /// <remarks>A passage kept for sharing, as its page shows it. Anyone may read it: it is what a shared link opens.</remarks>
    public static async Task<Results<Ok<PassageDto>, ProblemHttpResult>> Get(string slug, PassageService passages, CancellationToken ct) =>
        (await passages.GetAsync(slug, ct)).OkOrProblem();
}
