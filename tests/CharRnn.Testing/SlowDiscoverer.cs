using Xunit.Abstractions;
using Xunit.Sdk;

namespace CharRnn.Testing;

/// <summary>Turns <see cref="SlowAttribute"/> into the traits a test filter reads (xunit finds it by name).</summary>
public sealed class SlowDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Category", "Slow");
        yield return new("Slow", traitAttribute.GetConstructorArguments().First()!.ToString()!);
    }
}
