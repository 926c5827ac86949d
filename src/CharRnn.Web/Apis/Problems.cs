using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using CharRnn.Web.Contracts;

namespace CharRnn.Web.Apis;

/// <summary>RFC 7807 answers whose <c>detail</c> a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "The request cannot be carried out");
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not found");
    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, title: "Conflict");
    public static ProblemHttpResult WithStatus(int status, string detail) => status switch
    {
        404 => NotFound(detail),
        409 => Conflict(detail),
        _ => BadRequest(detail),
    };
    public static ProblemHttpResult TooMany(string detail) => TypedResults.Problem(detail, statusCode: 429, title: "Too many requests");
    public static ProblemHttpResult TooLarge(string detail) => TypedResults.Problem(detail, statusCode: 413, title: "Too large");
}
