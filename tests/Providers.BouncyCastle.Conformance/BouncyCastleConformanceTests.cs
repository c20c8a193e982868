using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Xunit;
using Vtls.Providers.BouncyCastle;
using Vtls.Providers.SslStream;

namespace Vtls.Tests;

/// <summary>
/// The conformance suite for <c>bouncycastle</c> over real loopback TCP, against itself, <c>sslstream</c>,
/// <c>openssl</c> and <c>gnutls</c>.
/// </summary>
public sealed class BouncyCastleOverTcpConformanceTests : TlsBackendConformanceTests
{
    /// <inheritdoc/>
    protected override IEnumerable<ITlsBackend> OtherPeerBackends => [SslStreamBackend.Instance];

    /// <inheritdoc/>
    protected override ITlsBackend CreateBackend() => BouncyCastleBackend.Instance;
}

/// <summary>
/// The conformance suite for <c>bouncycastle</c> with the fault-injecting filter (would-block, one-byte and partial
/// I/O) under its TLS filter: the scenarios about I/O only (the catalogue marks them).
/// </summary>
public sealed class BouncyCastleOverFaultyTransportConformanceTests : TlsBackendConformanceTests
{
    /// <inheritdoc/>
    protected override string Transport => TransportNames.Faulty;

    /// <inheritdoc/>
    protected override IEnumerable<ITlsBackend> OtherPeerBackends => [SslStreamBackend.Instance];

    /// <inheritdoc/>
    protected override ITlsBackend CreateBackend() => BouncyCastleBackend.Instance;
}
