using System.Security.Cryptography;
using System.Text;
using CharRnn.Web.Data;
using CharRnn.Web.Features.Settings;
using Microsoft.Extensions.Options;

namespace CharRnn.Web.Features.Access;

/// <summary>
/// Who may change things, the way Jupyter does it. On loopback with no token set, everyone who can reach the app is its
/// owner (the default: a person's own machine). With <c>CharRnn:OwnerToken</c> set, or when the app listens beyond
/// loopback, it is <see cref="Exposed"/>: uploading, training, importing, deleting and sampling on the server need the
/// owner token, as a bearer token or through the sign-in page's cookie. Without a configured token one is generated at
/// first start and kept in the data folder; the host logs a sign-in link as soon as it listens (<see cref="TokenFile"/>).
/// </summary>
public sealed class OwnerAccess
{
    public const string Policy = "Owner";
    /// <summary>Reading runs, books and checkpoints: anyone, unless the app is exposed with <c>CharRnn:PrivateRead</c>.</summary>
    public const string ReadPolicy = "Reader";
    public const string OwnerClaim = "charrnn:owner";
    private const string TokenFileName = "owner-token";

    private readonly byte[]? _token;

    public OwnerAccess(IOptions<StudioOptions> options, DataFolder folder, IConfiguration? configuration = null)
    {
        var token = options.Value.OwnerToken;
        PrivateRead = options.Value.PrivateRead;
        Exposed = Exposure.IsExposed(options.Value, configuration);
        if (!Exposed) return;
        if (string.IsNullOrEmpty(token))
        {
            TokenFile = Path.Combine(folder.Root, TokenFileName);
            if (!File.Exists(TokenFile))
            {
                File.WriteAllText(TokenFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            token = File.ReadAllText(TokenFile).Trim();
            GeneratedToken = token;
        }
        _token = Encoding.UTF8.GetBytes(token);
    }

    /// <summary>The file that keeps a generated token (null when the token is configured or the app is not exposed).</summary>
    public string? TokenFile { get; }

    /// <summary>The token generated for this data folder, which the sign-in link carries; null when it is configured (its owner knows it).</summary>
    public string? GeneratedToken { get; }

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
}
