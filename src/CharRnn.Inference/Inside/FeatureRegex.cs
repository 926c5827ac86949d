using System.Text.RegularExpressions;

namespace CharRnn.Inference.Inside;

/// <summary>
/// A person's own feature as a regular expression, safe to run on the server. .NET's non-backtracking engine matches in
/// time linear in the text whatever the pattern, so <c>(a+)+$</c> cannot hold a core; a one-second time-out stands
/// behind it all the same.
/// </summary>
public static class FeatureRegex
{
    public const int MaxPatternLength = 1000;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <exception cref="ArgumentException">The pattern is empty, too long, invalid, or uses what the safe engine lacks; the message says which.</exception>
    public static Regex Create(string pattern)
    {
        if (string.IsNullOrEmpty(pattern)) throw new ArgumentException("The regular expression is empty.");
        if (pattern.Length > MaxPatternLength) throw new ArgumentException($"The regular expression is {pattern.Length:N0} characters long; the limit is {MaxPatternLength:N0}.");
        try { return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Timeout); }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"The regular expression uses something that cannot run in linear time (backreferences, lookarounds, atomic or conditional groups): {e.Message}");
        }
        catch (ArgumentException e) { throw new ArgumentException($"The regular expression is not valid: {e.Message}"); }
    }
}
