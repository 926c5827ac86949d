using CharRnn.Web.Features.Access;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CharRnn.Web.Hosting;

/// <summary>
/// An exposed app creates its owner token at start and, once it listens, logs where to sign in, as Jupyter prints its
/// link: a person who starts it with <c>--urls http://0.0.0.0:8080</c> finds the link in the log before anyone visits.
/// An address on every interface (0.0.0.0, [::]) is written with this machine's name.
/// </summary>
public sealed class SignInLink(OwnerAccess access, IServer server, IHostApplicationLifetime lifetime, ILogger<SignInLink> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        if (access.Exposed) lifetime.ApplicationStarted.Register(Log);
        return Task.CompletedTask;
    }

    private void Log()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Reachable).ToList() ?? [];
        if (addresses.Count == 0) addresses.Add("");
        if (access.GeneratedToken is { } token)
            foreach (var address in addresses)
                log.LogWarning("The app is exposed beyond this machine. Sign in as its owner at {Link} (the token is kept in {Path})",
                    $"{address}/account/signin?token={token}", access.TokenFile);
        else
            foreach (var address in addresses)
                log.LogWarning("The app is exposed beyond this machine. Sign in as its owner at {Link} with the token of CharRnn:OwnerToken", $"{address}/signin");
    }

    /// <summary>A listening address as a browser elsewhere would type it: every-interface hosts become this machine's name.</summary>
    private static string Reachable(string address)
    {
        var host = Exposure.HostOf(address);
        return (Exposure.IsEveryAddress(host) ? address.Replace(host, Environment.MachineName) : address).TrimEnd('/');
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
