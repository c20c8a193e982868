using Vtls.Conformance.Pki;

namespace Vtls.Tests;

/// <summary>One throw-away test PKI per test class: making keys is the slow part.</summary>
public sealed class PkiFixture : IDisposable
{
    public TestPki Pki { get; } = TestPki.Create("Vtls abstractions test");

    public void Dispose() => Pki.Dispose();
}
