namespace Vtls.Tests.Fakes;

/// <summary>A backend that only has a name and features, for registry tests.</summary>
internal sealed record FakeBackend(string Name, TlsFeatures Features, string Version = "fake 1.0") : ITlsBackend
{
    public TlsFilter CreateClient(ConnectionFilter lower, TlsOptions options) => throw new NotSupportedException();

    public TlsFilter CreateServer(ConnectionFilter lower, TlsOptions options) => throw new NotSupportedException();
}
