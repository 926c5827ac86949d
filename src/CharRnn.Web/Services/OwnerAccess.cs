using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Services;

/// <summary>
/// Who may change things, the way Jupyter does it. On loopback with no token set, everyone who can reach the app is its
/// owner (the default: a person's own machine). With <c>CharRnn:OwnerToken</c> set, or when the app listens beyond
/// loopback, it is <see cref="Exposed"/>: uploading, training, importing, deleting and sampling on the server need the
/// owner token, as a bearer token or through the sign-in page's cookie. Without a configured token one is generated at
/// first start, kept in the data folder and printed to the log with a sign-in link.
/// </summary>
public sealed class OwnerAccess
{
    public const string Policy = "Owner";
    /// <summary>Reading runs, books and checkpoints: anyone, unless the app is exposed with <c>CharRnn:PrivateRead</c>.</summary>
    public const string ReadPolicy = "Reader";
    public const string OwnerClaim = "charrnn:owner";
    private const string TokenFile = "owner-token";

    private readonly byte[]? _token;

    public OwnerAccess(IOptions<StudioOptions> options, DataFolder folder, ILogger<OwnerAccess> log, IConfiguration? configuration = null)
    {
        var token = options.Value.OwnerToken;
        PrivateRead = options.Value.PrivateRead;
        Exposed = IsExposed(options.Value, configuration);
        if (!Exposed) return;
        if (string.IsNullOrEmpty(token))
        {
            var path = Path.Combine(folder.Root, TokenFile);
            if (!File.Exists(path))
            {
                File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            token = File.ReadAllText(path).Trim();
            log.LogWarning("The app is exposed beyond this machine: sign in with the owner token kept in {Path}, or open /account/signin?token={Token}", path, token);
        }
        _token = Encoding.UTF8.GetBytes(token);
    }

    /// <summary>True when changes need the owner token.</summary>
    public bool Exposed { get; }

    private bool PrivateRead { get; }

    /// <summary>True when reading needs the owner (or a run's link) too.</summary>
    public bool ReadingIsPrivate => Exposed && PrivateRead;

    /// <summary>Whether a page's visitor may change things: anyone until the app is exposed, then only its owner.</summary>
    public async Task<bool> IsOwnerAsync(Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? state) =>
        !Exposed || (state is not null && (await state).User.HasClaim(OwnerClaim, "true"));

    /// <summary>Whether a page's visitor may read runs: anyone unless reading is private, then the owner.</summary>
    public async Task<bool> CanReadAsync(Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? state) =>
        !ReadingIsPrivate || await IsOwnerAsync(state);

    public bool Accepts(string? candidate) =>
        _token is not null && candidate is not null && CryptographicOperations.FixedTimeEquals(_token, Encoding.UTF8.GetBytes(candidate));

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
        if (hosts.Count == 0 || hosts.Any(h => h is "0.0.0.0" or "*" or "+" or "[::]")) return null;
        return [.. hosts.Concat(["localhost", "127.0.0.1", "[::1]"]).Distinct()];
    }

    private static string HostOf(string url)
    {
        var host = url.Split("://", 2) is [_, var rest] ? rest : url;
        return host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0].Split('/')[0];
    }

    /// <summary>Anything but localhost, 127.0.0.0/8 or [::1] among the addresses the app listens on.</summary>
    public static bool ListensBeyondLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HostOf)
            .Any(host => host is not ("localhost" or "[::1]") && !host.StartsWith("127."));
}
