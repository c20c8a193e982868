using Vtls.Providers.BouncyCastle.Protocol;

namespace Vtls.Providers.BouncyCastle;

/// <summary>Graceful shutdown: one close_notify out, then the peer's in.</summary>
internal sealed partial class BouncyCastleFilter
{
    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// RFC 8446, 6.1: "Each party MUST send a "close_notify" alert before closing its write side of the
    /// connection, unless it has already sent some error alert."
    /// https://www.rfc-editor.org/rfc/rfc8446#section-6.1
    /// </para>
    /// <para>
    /// Our close_notify goes out through the protocol's alert path without closing the protocol, so records keep
    /// being processed until the peer's close_notify arrives. The step that sends reads nothing; application data
    /// that later steps meet is discarded, never delivered. If the peer closed first, our close_notify is the
    /// answer, and the shutdown is done once it is handed to the filter below, without waiting (CONFORMANCE S03).
    /// </para>
    /// </remarks>
    protected override Progress ShutdownCore()
    {
        var protocol = _protocol!;
        _readThisCall = 0;
        if (!protocol.IsCloseNotifyWritten)
        {
            try
            {
                protocol.WriteCloseNotify();
            }
            catch (IOException e) when (e is not TlsException)
            {
                throw Failure(e);
            }

            CollectOutput(protocol);
        }

        bool wasSent = IsCloseNotifySent;
        if (!FlushOutput())
        {
            Interest = IoInterest.Write;
            return Progress.WouldBlock;
        }

        if (!wasSent && !IsCloseNotifyReceived)
        {
            // The step that sends reads nothing (TlsFilter contract): data already decrypted, or still on its
            // way, stays for a half-closing driver's receive; only later steps read and discard.
            Interest = IoInterest.Read;
            return Progress.WouldBlock;
        }

        while (!IsCloseNotifyReceived)
        {
            var read = ReadTransport();
            if (read.IsWouldBlock)
            {
                Interest = IoInterest.Read;
                return Progress.WouldBlock;
            }

            if (read.IsEndOfStream)
            {
                throw TransportEnded(protocol, "during shutdown");
            }

            OfferRecords(protocol);
            DiscardInput(protocol);
        }

        DiscardInput(protocol);
        return Progress.Done;
    }

    /// <summary>Drops decrypted data the application did not read; shutdown never delivers it.</summary>
    private void DiscardInput(IVtlsProtocol protocol)
    {
        int available = protocol.Protocol.GetAvailableInputBytes();
        if (available == 0)
        {
            return;
        }

        var sink = new byte[Math.Min(available, TransportChunk)];
        int discarded = 0;
        while (discarded < available)
        {
            int n = protocol.Protocol.ReadInput(sink, 0, Math.Min(available - discarded, sink.Length));
            if (n == 0)
            {
                break;
            }

            discarded += n;
        }

        CryptographicClear(sink);
        BouncyCastleLog.DiscardedDuringShutdown(Logger, Name, discarded);
    }

    private static void CryptographicClear(byte[] buffer) =>
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
}
