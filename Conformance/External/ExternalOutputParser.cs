using System.Text.RegularExpressions;

namespace Vtls.Conformance.External;

/// <summary>
/// Reads what an external peer observed out of its diagnostic output. Each pattern below was seen on this
/// project's machines (OpenSSL 3.0, GnuTLS 3.7.9) and is pinned by a test in tests/Conformance.Tests/External.
/// The FIRST specific line wins (close_notify, alert, certificate, EOF, reset): later lines are usually the
/// tool's reaction (the alert it sends on a cut stream, its own close). A generic failure (handshake failed,
/// protocol error) counts only when no specific line is there at all, since tools print the specific reason
/// after, or in a buffered log, or not at all.
/// </summary>
internal static partial class ExternalOutputParser
{
    /// <summary>What the tool observed, from its stderr (and, for gnutls-serv, its stdout).</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="diagnostics">Its diagnostic output so far (stderr; gnutls-serv's stdout too).</param>
    /// <param name="exitedOnItsOwn">
    /// The process ended by itself, and not because we closed its input or killed it. Only then does silence
    /// mean something: <c>s_server -quiet</c> prints nothing at all when its peer resets the connection.
    /// </param>
    public static ExternalObservation Parse(ExternalTool tool, string diagnostics, bool exitedOnItsOwn)
    {
        bool handshakeDone = IsHandshakeDone(tool, diagnostics);
        var generic = ExternalObservation.None;
        foreach (var line in diagnostics.Split('\n'))
        {
            var seen = tool == ExternalTool.OpenSsl
                ? ParseOpenSslLine(line, handshakeDone)
                : ParseGnuTlsLine(line, handshakeDone);
            if (IsGeneric(seen))
            {
                generic = generic == ExternalObservation.None ? seen : generic;
            }
            else if (seen != ExternalObservation.None)
            {
                return seen;
            }
        }

        if (generic != ExternalObservation.None)
        {
            return generic;
        }

        // s_server -quiet is silent on a reset: a connection that ended with no other sign was reset.
        bool silentReset = tool == ExternalTool.OpenSsl && exitedOnItsOwn && handshakeDone
            && !diagnostics.Contains("\nDONE", StringComparison.Ordinal);
        return silentReset ? ExternalObservation.Reset : ExternalObservation.None;
    }

    /// <summary>Whether <paramref name="observation"/> is a failure without its specific reason.</summary>
    public static bool IsGeneric(ExternalObservation observation) =>
        observation is ExternalObservation.HandshakeFailed or ExternalObservation.ProtocolError;

    /// <summary>Whether the output shows a completed handshake.</summary>
    public static bool IsHandshakeDone(ExternalTool tool, string diagnostics)
    {
        if (tool == ExternalTool.OpenSsl)
        {
            // -msg shows both Finished messages, "<<<" received and ">>>" sent.
            return ReceivedFinished().IsMatch(diagnostics) && SentFinished().IsMatch(diagnostics);
        }

        // Debug level 4+: both Finished messages, ours sent and the peer's received, in either order (TLS 1.2 and
        // 1.3 differ). gnutls-cli's own "Handshake was completed" only shows at exit (its log is buffered).
        bool finishedBothWays = diagnostics.Contains("FINISHED was queued", StringComparison.Ordinal)
            && diagnostics.Contains("FINISHED (20) was received", StringComparison.Ordinal);
        return finishedBothWays
            || diagnostics.Contains("- Handshake was completed", StringComparison.Ordinal)
            || diagnostics.Contains("- Description:", StringComparison.Ordinal);
    }

    private static ExternalObservation ParseOpenSslLine(string line, bool handshakeDone)
    {
        var alert = OpenSslReceivedAlert().Match(line);
        if (alert.Success)
        {
            // "<<< TLS 1.3, Alert [length 0002], warning close_notify"; user_canceled is a warning that precedes
            // a close_notify (RFC 8446, 6.1), not an end in itself.
            return (alert.Groups["level"].Value, alert.Groups["name"].Value) switch
            {
                (_, "close_notify") => ExternalObservation.CleanClose,
                ("fatal", _) => ExternalObservation.AlertReceived,
                _ => ExternalObservation.None,
            };
        }

        if (line.StartsWith("verify error:", StringComparison.Ordinal)
            || line.Contains("certificate verify failed", StringComparison.Ordinal))
        {
            return ExternalObservation.CertificateRejected;
        }

        if (line.Contains("unexpected eof while reading", StringComparison.Ordinal))
        {
            return ExternalObservation.Truncated;
        }

        // s_client: "read:errno=104" (ECONNRESET), "write:errno=32" (EPIPE after a reset).
        if (line.Contains("errno=104", StringComparison.Ordinal)
            || line.Contains("errno=32", StringComparison.Ordinal))
        {
            return ExternalObservation.Reset;
        }

        if (line.Contains(":error:", StringComparison.Ordinal)
            && line.Contains("SSL routines", StringComparison.Ordinal))
        {
            return handshakeDone ? ExternalObservation.ProtocolError : ExternalObservation.HandshakeFailed;
        }

        return ExternalObservation.None;
    }

    private static ExternalObservation ParseGnuTlsLine(string line, bool handshakeDone)
    {
        // gnutls-cli: "- Peer has closed the GnuTLS connection"; gnutls-serv -d 5:
        // "REC[...]: Alert[1|0] - Close notify - was received".
        if (line.Contains("Peer has closed the GnuTLS connection", StringComparison.Ordinal)
            || line.Contains("Close notify - was received", StringComparison.Ordinal))
        {
            return ExternalObservation.CleanClose;
        }

        // gnutls-serv -d 5: "Alert[2|48] - CA is unknown - was received" (level 2 is fatal);
        // gnutls-cli: "*** Fatal error: A TLS fatal alert has been received." and "*** Received alert [116]: ...".
        if (GnuTlsFatalAlertReceived().IsMatch(line)
            || line.Contains("A TLS fatal alert has been received", StringComparison.Ordinal))
        {
            return ExternalObservation.AlertReceived;
        }

        // gnutls-cli prints warnings and fatal alerts alike; 0 (close_notify) and 90 (user_canceled) are the only
        // warnings TLS 1.3 has.
        var received = GnuTlsCliReceivedAlert().Match(line);
        if (received.Success && received.Groups["code"].Value is not ("0" or "90"))
        {
            return ExternalObservation.AlertReceived;
        }

        if (line.Contains("PKI verification of server certificate failed", StringComparison.Ordinal)
            || line.Contains("certificate is NOT trusted", StringComparison.Ordinal)
            || line.Contains("Verifying server certificate failed", StringComparison.Ordinal))
        {
            return ExternalObservation.CertificateRejected;
        }

        if (line.Contains("The TLS connection was non-properly terminated", StringComparison.Ordinal))
        {
            return ExternalObservation.Truncated;
        }

        // Measured: GnuTLS 3.7.9 reports a FIN inside a record as a decoding error, not as an EOF.
        if (handshakeDone && line.Contains("Error decoding the received TLS packet", StringComparison.Ordinal))
        {
            return ExternalObservation.Truncated;
        }

        if (line.Contains("Error in the pull function", StringComparison.Ordinal)
            || line.Contains("Error in the push function", StringComparison.Ordinal))
        {
            return ExternalObservation.Reset;
        }

        if (line.StartsWith("*** Fatal error:", StringComparison.Ordinal)
            || line.StartsWith("Error: ", StringComparison.Ordinal)
            || line.StartsWith("Error in handshake:", StringComparison.Ordinal)
            || line.StartsWith("*** Handshake has failed", StringComparison.Ordinal))
        {
            return handshakeDone ? ExternalObservation.ProtocolError : ExternalObservation.HandshakeFailed;
        }

        return ExternalObservation.None;
    }

    [GeneratedRegex(@"^<<< [^,]+, Alert \[length [0-9a-f]+\], (?<level>warning|fatal) (?<name>\w+)")]
    private static partial Regex OpenSslReceivedAlert();

    [GeneratedRegex(@"^<<< [^\n]*Handshake \[length [0-9a-f]+\], Finished", RegexOptions.Multiline)]
    private static partial Regex ReceivedFinished();

    [GeneratedRegex(@"^>>> [^\n]*Handshake \[length [0-9a-f]+\], Finished", RegexOptions.Multiline)]
    private static partial Regex SentFinished();

    [GeneratedRegex(@"^\*\*\* Received alert \[(?<code>\d+)\]")]
    private static partial Regex GnuTlsCliReceivedAlert();

    [GeneratedRegex(@"Alert\[2\|\d+\] - .* - was received")]
    private static partial Regex GnuTlsFatalAlertReceived();
}
