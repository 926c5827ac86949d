using Microsoft.AspNetCore.Authorization;

namespace CharRnn.Web.Features.Access;

/// <summary>The owner policy: anyone while the app is not exposed, else whoever signed in with the owner token.</summary>
public sealed class OwnerRequirement : IAuthorizationRequirement;

public sealed class OwnerRequirementHandler(OwnerAccess access) : AuthorizationHandler<OwnerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnerRequirement requirement)
    {
        if (!access.Exposed || context.User.HasClaim(OwnerAccess.OwnerClaim, "true")) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>The reader policy: anyone unless the app is exposed with private reading, then the owner.</summary>
public sealed class ReaderRequirement : IAuthorizationRequirement;

public sealed class ReaderRequirementHandler(OwnerAccess access) : AuthorizationHandler<ReaderRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReaderRequirement requirement)
    {
        if (!access.ReadingIsPrivate || context.User.HasClaim(OwnerAccess.OwnerClaim, "true")) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
