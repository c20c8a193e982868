using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Protocol;

/// <summary>What the filter needs from its client or server protocol object beyond <see cref="TlsProtocol"/>.</summary>
internal interface IVtlsProtocol
{
    /// <summary>The protocol object itself.</summary>
    TlsProtocol Protocol { get; }

    /// <summary>Decides the fate of every close_notify the protocol writes.</summary>
    CloseNotifyGate Gate { get; }

    /// <summary>
    /// Puts our close_notify into the protocol's output without closing the protocol, so that the peer's
    /// close_notify can still be read afterwards; if the peer closed first, releases the answer BouncyCastle queued
    /// instead. Does nothing the second time.
    /// </summary>
    void WriteCloseNotify();
}
