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
        api.MapPost("/", Create).RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/{slug}", Get);
        return api;
    }

    public static async Task<Results<Created<PassageDto>, ProblemHttpResult>> Create(PassageRequest request, PassageService passages, CancellationToken ct) =>
        (await passages.CreateAsync(request, ct)).CreatedOrProblem(p => p.Url);

    public static async Task<Results<Ok<PassageDto>, ProblemHttpResult>> Get(string slug, PassageService passages, CancellationToken ct) =>
        (await passages.GetAsync(slug, ct)).OkOrProblem();
}
