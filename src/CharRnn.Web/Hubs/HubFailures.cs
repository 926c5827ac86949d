using CharRnn.Web.Features.Results;
using Microsoft.AspNetCore.SignalR;

namespace CharRnn.Web.Hubs;

/// <summary>The one place a feature's <see cref="Failure"/> becomes a hub error: a <see cref="HubException"/> whose message the client sees.</summary>
internal static class HubFailures
{
    public static T OrThrow<T>(this Result<T> result) => result.Ok ? result.Value : throw new HubException(result.Failure!.Detail);

    public static void OrThrow(this Result result)
    {
        if (!result.Ok) throw new HubException(result.Failure!.Detail);
    }
}
