using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Inside;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary>
/// Inside a checkpoint (<c>/api/checkpoints/{id}/…</c>): its units' states for a text, the units that track a feature,
/// and select-and-match. Computed like sampling and scoring, and allowed to whom they are.
/// </summary>
public static class InsideApi
{
    public static RouteGroupBuilder MapInsideApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/checkpoints/{id:int}").WithTags("Inside the model").ProducesProblems(400, 404, 409, 429);
        api.MapGet("/held-out", HeldOut).WithName("getHeldOutPassage").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/states", States).WithName("readStates").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/units", Units).WithName("findUnits").RequireAuthorization(OwnerAccess.Policy);
        api.MapPost("/selection", Selection).WithName("findSelectionUnits").RequireAuthorization(OwnerAccess.Policy);
        api.MapGet("/gates", Gates).WithName("getGateSaturation").RequireAuthorization(OwnerAccess.Policy);
        return api;
    }

    /// <summary>Get a checkpoint's held-out passage</summary>
    /// <remarks>The start of the checkpoint's held-out passage (its book's validation split), <paramref name="characters"/> long at most (2,000 by default).</remarks>
    /// <param name="characters">The most characters to give (2,000 by default).</param>
    public static async Task<Results<Ok<HeldOutDto>, ProblemHttpResult>> HeldOut(int id, int? characters, InsideService inside, CancellationToken ct) =>
        (await inside.HeldOutAsync(id, characters ?? 2000, ct)).OkOrProblem();

    /// <summary>Read units' states over a text</summary>
    /// <remarks>Each asked unit's cell state, output or gates at every character of a text, read from a zero state.</remarks>
    public static async Task<Results<Ok<StatesResponse>, ProblemHttpResult>> States(int id, StatesRequest request, InsideService inside, HttpContext http, CancellationToken ct) =>
        (await inside.StatesAsync(id, request, ClientAddress.Of(http), ct)).OkOrProblem();

    /// <summary>Find the units that track a feature</summary>
    /// <remarks>The units whose values correlate best with a built-in feature or a regular expression over the held-out passage (or a text sent).</remarks>
    public static async Task<Results<Ok<UnitsResponse>, ProblemHttpResult>> Units(int id, UnitsRequest request, InsideService inside, HttpContext http, CancellationToken ct) =>
        (await inside.UnitsAsync(id, request, ClientAddress.Of(http), ct)).OkOrProblem();

    /// <summary>Get how often the gates saturate</summary>
    /// <remarks>How often each unit's input, forget and output gates are closed (below 0.1) and open (above 0.9) over the held-out passage.</remarks>
    public static async Task<Results<Ok<GatesResponse>, ProblemHttpResult>> Gates(int id, InsideService inside, HttpContext http, CancellationToken ct) =>
        (await inside.GatesAsync(id, ClientAddress.Of(http), ct)).OkOrProblem();

    /// <summary>Find the units behind a selected stretch</summary>
    /// <remarks>The units on across a selected stretch and off around it, and the places in the held-out passage where they are on together.</remarks>
    public static async Task<Results<Ok<SelectionResponse>, ProblemHttpResult>> Selection(int id, SelectionRequest request, InsideService inside, HttpContext http, CancellationToken ct) =>
        (await inside.SelectAsync(id, request, ClientAddress.Of(http), ct)).OkOrProblem();
}
