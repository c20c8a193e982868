using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Protocol;

/// <summary>
/// What the filter needs from its client or server protocol object beyond <see cref="TlsProtocol"/>: close_notify
/// under its control.
/// </summary>
/// <remarks>
/// <para>Left alone, BouncyCastle closes the whole connection when close_notify arrives and answers with its own at
/// once (TLS 1.2 style), and its <c>Close()</c> refuses all input after sending close_notify. Neither fits the
/// contract: close_notify ends one direction, and ours leaves only through shutdown, exactly once. So the
/// subclasses:</para>
/// <list type="bullet">
/// <item>take a received close_notify as the end of the peer's direction only (the filter stops offering input
/// there), so this side can still send, and answers only when the application shuts down;</item>
/// <item>write our close_notify through the protected alert path, without closing, so the peer's answer can still
/// be read (<see cref="WriteCloseNotify"/>);</item>
/// <item>drop any close_notify BouncyCastle would write on its own.</item>
/// </list>
/// </remarks>
internal interface IVtlsProtocol
{
    /// <summary>The protocol object itself.</summary>
    TlsProtocol Protocol { get; }

    /// <summary>Whether our close_notify was written into the protocol's output.</summary>
    bool IsCloseNotifyWritten { get; }

    /// <summary>
    /// Puts our close_notify into the protocol's output without closing the protocol, so that the peer's
    /// close_notify can still be read afterwards. Does nothing the second time.
    /// </summary>
    void WriteCloseNotify();
}
