namespace Vtls.Cli.Sessions;

/// <summary>The status lines <c>connect</c> and <c>serve</c> print about a connection.</summary>
internal static class SessionReport
{
    /// <summary>What was negotiated: version, cipher suite, ALPN.</summary>
    /// <param name="tls">The connected TLS filter.</param>
    public static string Negotiated(TlsFilter tls)
    {
        string version = tls.NegotiatedProtocol switch
        {
            TlsProtocols.Tls12 => "TLS 1.2",
            TlsProtocols.Tls13 => "TLS 1.3",
            _ => "TLS (version unknown)",
        };
        string suite = tls.CipherSuite ?? "cipher suite unknown";

        // Offered but not agreed is said too, so --alpn never ends in silence.
        string alpn = tls.NegotiatedApplicationProtocol is { } protocol ? $", ALPN {protocol}"
            : tls.Options.ApplicationProtocols is { Count: > 0 } ? ", no ALPN agreed"
            : "";
        return $"{version}, {suite}{alpn}";
    }

    /// <summary>The peer's certificate and how it was judged.</summary>
    /// <param name="tls">The connected TLS filter.</param>
    /// <param name="who">"server" or "client".</param>
    public static string PeerCertificate(TlsFilter tls, string who)
    {
        string subject = tls.PeerCertificate?.Subject is { Length: > 0 } s ? s : "none sent";
        string verdict = tls.Options.Trust.Mode == TlsTrustMode.Insecure
            ? "NOT verified (--insecure)"
            : $"accepted by {tls.Options.Trust}";
        return $"{who} certificate: {subject}; {verdict}";
    }

    /// <summary>Writes how the session ended: the failure if any, and whether the peer's close_notify came.</summary>
    /// <param name="context">Where to write.</param>
    /// <param name="result">The session's end.</param>
    public static void End(CliContext context, SessionResult result)
    {
        if (result.Error is not null)
        {
            context.Fail(Commands.CommandRunner.Describe(result.Error));
        }

        context.Status(result.CloseNotifyReceived
            ? "peer's close_notify: received"
            : "peer's close_notify: NOT received");
    }
}
