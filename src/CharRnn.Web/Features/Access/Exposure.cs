using CharRnn.Web.Features.Settings;

namespace CharRnn.Web.Features.Access;

/// <summary>
/// Whether the app is exposed beyond this machine, from its settings and the addresses it listens on, and which host
/// names an exposed app answers to.
/// </summary>
public static class Exposure
{
    /// <summary>The addresses the app listens on, as <c>--urls</c> or <c>ASPNETCORE_URLS</c> give them.</summary>
    public static string Urls(IConfiguration? configuration) => configuration?["urls"] ?? configuration?["ASPNETCORE_URLS"] ?? "";

    /// <summary>An owner token is set, exposure is asked for, or the app listens beyond loopback.</summary>
    public static bool IsExposed(StudioOptions options, IConfiguration? configuration) =>
        !string.IsNullOrEmpty(options.OwnerToken) || options.Exposed || ListensBeyondLoopback(Urls(configuration));

    /// <summary>
    /// The host names an exposed app answers to when <c>AllowedHosts</c> is left at <c>*</c>: the ones it listens on, and
    /// loopback. Null when it listens on every address (0.0.0.0, *, +, [::]): its public name cannot be known, so set it.
    /// </summary>
    public static string[]? AllowedHostsFor(string urls)
    {
        var hosts = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HostOf).ToList();
        if (hosts.Count == 0 || hosts.Any(IsEveryAddress)) return null;
        return [.. hosts.Concat(["localhost", "127.0.0.1", "[::1]"]).Distinct()];
    }

    /// <summary>0.0.0.0, *, + or [::]: listening on every address of the machine.</summary>
    public static bool IsEveryAddress(string host) => host is "0.0.0.0" or "*" or "+" or "[::]";

    public static string HostOf(string url)
    {
        var host = url.Split("://", 2) is [_, var rest] ? rest : url;
        return host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0].Split('/')[0];
    }

    /// <summary>Anything but localhost, 127.0.0.0/8 or [::1] among the addresses the app listens on.</summary>
    public static bool ListensBeyondLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HostOf)
            .Any(host => host is not ("localhost" or "[::1]") && !host.StartsWith("127."));
}
