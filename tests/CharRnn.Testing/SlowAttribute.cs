using Xunit.Sdk;

namespace CharRnn.Testing;

/// <summary>What makes a test slow: what it needs beyond .NET and its own process.</summary>
public enum SlowBecause
{
    /// <summary>Drives the real pages in Debian's Chromium (and the WebAssembly sampler they load).</summary>
    Browser,
    /// <summary>Starts a separate process: <c>charrnn</c>, <c>charrnn-bench</c>, the web app as a server, or a published build.</summary>
    Process,
    /// <summary>Needs a service that <c>.ci/run</c> starts: PostgreSQL, Redis or a one-node Slurm cluster.</summary>
    Service,
    /// <summary>Trains real models for many steps to reach a condition (a sweep's rungs, a run's end, overfitting).</summary>
    Training,
}

/// <summary>
/// Marks a test class or test as slow, with the reason: it gets the trait <c>Category=Slow</c> (and <c>Slow=</c> its reason),
/// so that <c>dotnet test CharRnn.Web.sln --filter "Category!=Slow"</c> runs the quick tests alone. The whole suite
/// still runs every test. This is the one way a test is marked slow.
/// </summary>
[TraitDiscoverer("CharRnn.Testing.SlowDiscoverer", "CharRnn.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SlowAttribute(SlowBecause because) : Attribute, ITraitAttribute
{
    public SlowBecause Because { get; } = because;
}
