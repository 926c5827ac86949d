using CharRnn.Web.Features.Access;
using CharRnn.Web.Features.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CharRnn.Web.Apis;

/// <summary>What <c>POST</c> and <c>DELETE …/{id}/links</c> answer, for a run's page and a sweep's alike.</summary>
internal static class ReadOnlyLinkEndpoints
{
    /// <summary>A new link to the page of <paramref name="found"/> (201), or why there is no such thing to link to.</summary>
    public static Results<Created<ReadOnlyLinkDto>, ProblemHttpResult> Create<T>(Result<T> found, ReadOnlyLinks links, int id)
    {
        if (!found.Ok) return found.Failure!.ToProblem();
        var url = links.Url(id);
        return TypedResults.Created(url, new ReadOnlyLinkDto(url));
    }

    public static NoContent Revoke(ReadOnlyLinks links, int id)
    {
        links.Revoke(id);
        return TypedResults.NoContent();
    }
}
