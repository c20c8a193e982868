using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Protocol;

/// <summary>
/// BouncyCastle's server protocol in non-blocking mode, with close_notify under our control (see
/// <see cref="CloseNotifyGate"/>).
/// </summary>
internal sealed class VtlsServerProtocol : TlsServerProtocol, IVtlsProtocol
{
    /// <inheritdoc/>
    public TlsProtocol Protocol => this;

    /// <inheritdoc/>
    public CloseNotifyGate Gate { get; } = new();

    /// <inheritdoc/>
    public void WriteCloseNotify()
    {
        if (Gate.IsOwnCloseNotifyWritten)
        {
            return;
        }

        // The peer closed first: BouncyCastle's answer is already queued, and releasing it is all that is left.
        bool answerQueued = Gate.IsHoldingAnswer;
        Gate.OwnCloseNotifyWritten();
        if (!answerQueued)
        {
            // Not Close(): it would also mark the protocol closed and refuse the peer's answer.
            base.RaiseAlertWarning(AlertDescription.close_notify, "shutdown");
        }
    }

    /// <inheritdoc/>
    protected override void RaiseAlertWarning(short alertDescription, string message)
    {
        if (alertDescription == AlertDescription.close_notify
            && !Gate.AllowAutomaticCloseNotify(GetAvailableOutputBytes()))
        {
            return;
        }

        base.RaiseAlertWarning(alertDescription, message);
    }
}
