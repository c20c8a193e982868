using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Peers;

/// <summary>Maps <see cref="TlsProtocols"/> to BouncyCastle's versions and back.</summary>
internal static class ProtocolVersions
{
    /// <summary>The versions to offer or accept, newest first.</summary>
    /// <param name="protocols">The options' setting (validated: 1.2, 1.3 or both).</param>
    public static ProtocolVersion[] From(TlsProtocols protocols) => protocols switch
    {
        TlsProtocols.Tls12 => [ProtocolVersion.TLSv12],
        TlsProtocols.Tls13 => [ProtocolVersion.TLSv13],
        _ => [ProtocolVersion.TLSv13, ProtocolVersion.TLSv12],
    };

    /// <summary>The negotiated version as <see cref="TlsProtocols"/>.</summary>
    /// <param name="version">BouncyCastle's negotiated version.</param>
    public static TlsProtocols ToTlsProtocols(ProtocolVersion? version) =>
        version is null ? TlsProtocols.None
        : TlsUtilities.IsTlsV13(version) ? TlsProtocols.Tls13
        : version.Equals(ProtocolVersion.TLSv12) ? TlsProtocols.Tls12
        : TlsProtocols.None;
}
