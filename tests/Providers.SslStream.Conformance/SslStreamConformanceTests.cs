using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Xunit;
using Vtls.Providers.BouncyCastle;
using Vtls.Providers.SslStream;

namespace Vtls.Tests;

/// <summary>
/// The conformance suite for <c>sslstream</c> over real loopback TCP, against itself, <c>bouncycastle</c>,
/// <c>openssl</c> and <c>gnutls</c>.
/// </summary>
public sealed class SslStreamOverTcpConformanceTests : TlsBackendConformanceTests
{
    /// <inheritdoc/>
    protected override IEnumerable<ITlsBackend> OtherPeerBackends => [BouncyCastleBackend.Instance];

    /// <inheritdoc/>
    protected override ITlsBackend CreateBackend() => SslStreamBackend.Instance;
}

/// <summary>
/// The conformance suite for <c>sslstream</c> with the fault-injecting filter (would-block, one-byte and partial
/// I/O) under its TLS filter: the scenarios about I/O only (the catalogue marks them).
/// </summary>
public sealed class SslStreamOverFaultyTransportConformanceTests : TlsBackendConformanceTests
{
    /// <inheritdoc/>
    protected override string Transport => TransportNames.Faulty;

    /// <inheritdoc/>
    protected override IEnumerable<ITlsBackend> OtherPeerBackends => [BouncyCastleBackend.Instance];

    /// <inheritdoc/>
    protected override ITlsBackend CreateBackend() => SslStreamBackend.Instance;
}
