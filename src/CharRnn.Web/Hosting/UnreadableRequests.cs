using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CharRnn.Web.Hosting;

/// <summary>
/// A request the framework cannot bind (a body that is not JSON, a number sent as a string, a missing required field)
/// answers 400 with a problem whose <c>detail</c> says what was wrong and where, as every other refusal does; on its own
/// the framework answers an empty 400 outside Development, and a 500 in it.
/// </summary>
public static class UnreadableRequests
{
    public static void AddUnreadableRequestProblems(this IServiceCollection services)
    {
        // The binding failure reaches the exception handler, which writes it as a problem (below) in every environment.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.Exception is not BadHttpRequestException bad) return;
            context.ProblemDetails.Title = "The request cannot be read";
            context.ProblemDetails.Detail = bad.InnerException is JsonException json
                ? $"The body is not what this endpoint reads: {json.Message}"
                : bad.Message;
        });
    }

    /// <summary>The exception handler's status: a request that could not be read is the caller's (400, or the status it carries), and no error of ours.</summary>
    public static ExceptionHandlerOptions Options() => new()
    {
        StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        // The caller's mistake is answered, not logged as the server's error with a stack trace.
        SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
    };
}
