using System.Net;
using Vtls.Conformance.Pki;

namespace Vtls.Conformance.External;

/// <summary>
/// The command lines of the external peers. Each mode is chosen so that stdout carries only the application data
/// the tool received, and stderr carries everything the observation is read from.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>s_server -quiet -no_ign_eof</c>: stdout is the data; stdin EOF closes the connection. Measured: in this
/// mode its close_notify DOES reach the wire, then FIN, and it exits without waiting for the answer (FACTS.md
/// describes the verbose mode, where the socket closes first). Without <c>-no_ign_eof</c>, quiet mode ignores
/// stdin EOF altogether. Stdin lines starting with <c>Q</c> or <c>q</c> are data, not commands, in quiet mode.
/// <c>-naccept 1</c>: it exits after one connection.</item>
/// <item><c>s_client -quiet -no_ign_eof -nocommands</c>: stdout is the data; stdin EOF sends close_notify and
/// exits without waiting for the answer; no stdin byte is taken as a command.</item>
/// <item>Both: <c>-msg -msgfile /dev/stderr</c> puts every record, and every alert sent (<c>&gt;&gt;&gt;</c>) or
/// received (<c>&lt;&lt;&lt;</c>), on stderr, flushed as it happens.</item>
/// <item><c>gnutls-cli --logfile=/dev/stderr -d 5</c>: its informational lines move to stderr, so stdout is the
/// data. That log is a stdio file, flushed only at exit, so the handshake and the alerts are read from the debug
/// lines (level 5), which are written as they happen.</item>
/// <item><c>gnutls-serv --echo -d 5</c>: it has no stdin input, so it echoes what it receives; debug level 5 is the
/// lowest that logs a received close_notify ("Alert[1|0] - Close notify - was received"). It listens on every
/// interface: 3.7.9 has no option to bind to loopback only.</item>
/// </list>
/// </remarks>
internal static class ExternalCommandLine
{
    public const string OpenSsl = "openssl";
    public const string GnuTlsServer = "gnutls-serv";
    public const string GnuTlsClient = "gnutls-cli";

    public static (string Program, List<string> Arguments) Server(
        ExternalTool tool,
        PemFiles pki,
        TlsProtocols version,
        int port)
    {
        return tool switch
        {
            ExternalTool.OpenSsl => (OpenSsl,
            [
                "s_server", "-accept", $"127.0.0.1:{port}", "-cert", pki.ServerCertificate, "-key", pki.ServerKey,
                "-naccept", "1", "-quiet", "-no_ign_eof", "-msg", "-msgfile", "/dev/stderr",
                .. OpenSslVersionFlags(version),
            ]),
            _ => (GnuTlsServer,
            [
                "--echo", "--disable-client-cert", "--port", port.ToString(), "--x509certfile",
                pki.ServerCertificate, "--x509keyfile", pki.ServerKey, "--priority", GnuTlsPriority(version),
                "--debug", "5",
            ]),
        };
    }

    public static (string Program, List<string> Arguments) Client(
        ExternalTool tool,
        IPEndPoint server,
        string serverName,
        PemFiles pki,
        TlsProtocols version)
    {
        string host = server.Address.ToString();
        return tool switch
        {
            ExternalTool.OpenSsl => (OpenSsl,
            [
                "s_client", "-connect", new IPEndPoint(server.Address, server.Port).ToString(),
                "-servername", serverName, "-verify_hostname", serverName, "-CAfile", pki.CaCertificate,
                "-verify_return_error", "-quiet", "-no_ign_eof", "-nocommands", "-msg", "-msgfile", "/dev/stderr",
                .. OpenSslVersionFlags(version),
            ]),
            _ => (GnuTlsClient,
            [
                host, "--port", server.Port.ToString(), "--x509cafile", pki.CaCertificate,
                "--sni-hostname", serverName, "--verify-hostname", serverName, "--priority",
                GnuTlsPriority(version), "--logfile=/dev/stderr", "--debug", "5",
            ]),
        };
    }

    private static string[] OpenSslVersionFlags(TlsProtocols version) => version switch
    {
        TlsProtocols.Tls12 => ["-tls1_2"],
        TlsProtocols.Tls13 => ["-tls1_3"],
        _ => ["-min_protocol", "TLSv1.2"],
    };

    private static string GnuTlsPriority(TlsProtocols version) => version switch
    {
        TlsProtocols.Tls12 => "NORMAL:-VERS-ALL:+VERS-TLS1.2",
        TlsProtocols.Tls13 => "NORMAL:-VERS-ALL:+VERS-TLS1.3",
        _ => "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
    };
}
