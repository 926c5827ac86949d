using CharRnn.Web.Features.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary>
/// The one place a feature's <see cref="Failure"/> becomes HTTP: an RFC 7807 problem whose <c>detail</c> is the
/// failure's sentence, with the status and title of its kind.
/// </summary>
internal static class ProblemResults
{
    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var (status, title) = failure.Kind switch
        {
            FailureKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            FailureKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            FailureKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Too large"),
            FailureKind.TooMany => (StatusCodes.Status429TooManyRequests, "Too many requests"),
            FailureKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Unavailable"),
            _ => (StatusCodes.Status400BadRequest, "The request cannot be carried out"),
        };
        return TypedResults.Problem(failure.Detail, statusCode: status, title: title);
    }

    /// <summary>Declares, for the API's description, the problems a group's endpoints answer with (a problem carries no type of its own).</summary>
    public static RouteGroupBuilder ProducesProblems(this RouteGroupBuilder group, params int[] statuses)
    {
        foreach (var status in statuses) group.ProducesProblem(status);
        return group;
    }

    public static Results<Ok<T>, ProblemHttpResult> OkOrProblem<T>(this Result<T> result) =>
        result.Ok ? TypedResults.Ok(result.Value) : result.Failure!.ToProblem();

    public static Results<Created<T>, ProblemHttpResult> CreatedOrProblem<T>(this Result<T> result, Func<T, string> location) =>
        result.Ok ? TypedResults.Created(location(result.Value), result.Value) : result.Failure!.ToProblem();

    public static Results<Accepted, ProblemHttpResult> AcceptedOrProblem(this Result result, string location) =>
        result.Ok ? TypedResults.Accepted(location) : result.Failure!.ToProblem();

    public static Results<NoContent, ProblemHttpResult> NoContentOrProblem(this Result result) =>
        result.Ok ? TypedResults.NoContent() : result.Failure!.ToProblem();
}
