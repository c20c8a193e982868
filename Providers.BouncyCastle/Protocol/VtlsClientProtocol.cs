using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Protocol;

/// <summary>
/// BouncyCastle's client protocol in non-blocking mode, with close_notify under our control (see
/// <see cref="IVtlsProtocol"/>).
/// </summary>
internal sealed class VtlsClientProtocol : TlsClientProtocol, IVtlsProtocol
{
    /// <inheritdoc/>
    public TlsProtocol Protocol => this;

    /// <inheritdoc/>
    public bool IsCloseNotifyWritten { get; private set; }

    /// <inheritdoc/>
    public void WriteCloseNotify()
    {
        if (IsCloseNotifyWritten)
        {
            return;
        }

        // Not Close(): it would also mark the protocol closed and refuse the peer's answer.
        IsCloseNotifyWritten = true;
        base.RaiseAlertWarning(AlertDescription.close_notify, "shutdown");
    }

    /// <inheritdoc/>
    protected override void HandleAlertWarningMessage(short alertDescription)
    {
        // RFC 8446, 6.1: "Either party MAY initiate a close of its write side of the connection by sending a
        // "close_notify" alert." It closes that one direction; the answer is the application's to send, through
        // shutdown. During the handshake BouncyCastle's own handling (a handshake failure) stands.
        // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
        if (alertDescription == AlertDescription.close_notify && IsConnected)
        {
            return;
        }

        base.HandleAlertWarningMessage(alertDescription);
    }

    /// <inheritdoc/>
    protected override void RaiseAlertWarning(short alertDescription, string message)
    {
        // Only WriteCloseNotify sends close_notify: at most once, and only when the application shuts down.
        if (alertDescription == AlertDescription.close_notify)
        {
            return;
        }

        base.RaiseAlertWarning(alertDescription, message);
    }
}
