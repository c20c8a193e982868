using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Vtls.Cli.Certificates;
using Vtls.Cli.Sessions;
using Vtls.Conformance.Pki;

namespace Vtls.Cli.Commands;

/// <summary>
/// <c>vtls serve PORT</c>: a TLS server on 127.0.0.1, like <c>openssl s_server</c>. Echoes, or sends standard
/// input and writes what arrives to standard output; when the peer ends it answers with close_notify (or aborts).
/// </summary>
internal sealed class ServeCommand
{
    private const string Examples =
        """
        Examples:
          vtls serve 0 --echo --once            pick a port, echo one connection, exit with its code
          vtls serve 4433 --cert server.pem --key server.key -v
          vtls serve 4433 --abort               end every connection without close_notify
        """;

    private readonly CliContext _context;
    private readonly TlsCommandOptions _shared = new();

    private readonly Argument<string> _port = new("PORT")
    {
        Description = "The port to listen on, on 127.0.0.1 only. 0 lets the system pick one; the line "
            + "'listening on 127.0.0.1:PORT' on standard error says which.",
    };

    private readonly Option<string?> _pfx = new("--pfx")
    {
        Description = "The server certificate and key as a PKCS#12 (PFX) file, instead of --cert and --key.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _password = new("--password")
    {
        Description = "The password of --pfx.",
        HelpName = "PASSWORD",
    };

    private readonly Option<bool> _once = new("--once")
    {
        Description = "Serve one connection, then exit with its exit code. Without it, connections are served "
            + "one after another until Ctrl-C.",
    };

    private readonly Option<bool> _echo = new("--echo")
    {
        Description = "Send back what arrives, instead of sending standard input and writing what arrives to "
            + "standard output.",
    };

    private ServeCommand(CliContext context)
    {
        _context = context;
    }

    /// <summary>Creates the command.</summary>
    /// <param name="context">Standard streams and backends.</param>
    /// <param name="help">Takes the notes printed after the command's help.</param>
    public static Command Create(CliContext context, NotedHelpAction help)
    {
        var command = new ServeCommand(context).Build();
        help.Add(command, Examples + "\n\n" + ExitCodes.HelpSection);
        return command;
    }

    private Command Build()
    {
        var command = new Command(
            "serve",
            "Run a TLS server on 127.0.0.1, like openssl s_server, with a fresh self-signed certificate unless "
            + "one is given. When the peer ends with close_notify vtls answers with its own (with --abort it "
            + "closes without one); standard error gives the negotiated version, cipher suite and ALPN, and says "
            + "whether the peer's close_notify came (not after a failed handshake: there was no session to "
            + "close).");
        command.Arguments.Add(_port);
        _shared.AddTo(command);
        command.Options.Add(_pfx);
        command.Options.Add(_password);
        command.Options.Add(_once);
        command.Options.Add(_echo);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_context, () => RunAsync(parse, ct), ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        int port = HostPort.ParsePort(parse.GetValue(_port), allowZero: true, what: "PORT");
        var certificate = GetCertificate(parse);
        var backend = _shared.SelectBackend(parse, _context.Registry, TlsFeatures.ServerRole);
        var timeout = _shared.GetTimeout(parse);
        using var traces = parse.GetValue(_shared.Verbose) ? _context.CreateTraceLoggerFactory() : null;
        var options = new TlsOptions
        {
            Certificate = certificate.Certificate,
            CertificateChain = certificate.Chain,
            Protocols = _shared.GetProtocols(parse),
            ApplicationProtocols = _shared.GetAlpn(parse),
            HandshakeTimeout = timeout,
            ShutdownTimeout = timeout,
            LoggerFactory = traces,
        };
        ValidateOptions(options);
        var settings = new SessionSettings
        {
            Echo = parse.GetValue(_echo),
            Abort = parse.GetValue(_shared.Abort),
        };

        using var listener = Listen(port);
        _context.Status($"listening on {listener.LocalEndPoint} with {backend.Name}");
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = settings.Echo ? null : InputPump.Start(_context.Input, stopInput.Token);
        try
        {
            while (true)
            {
                var accepted = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                int code = await ServeOneAsync(backend, accepted, options, settings, input, cancellationToken)
                    .ConfigureAwait(false);
                if (parse.GetValue(_once))
                {
                    return code;
                }
            }
        }
        finally
        {
            await stopInput.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ServeOneAsync(
        ITlsBackend backend,
        Socket accepted,
        TlsOptions options,
        SessionSettings settings,
        InputPump? input,
        CancellationToken cancellationToken)
    {
        var peer = accepted.RemoteEndPoint;
        _context.Status($"connection from {peer}");
        using var connection = TlsConnection.CreateServer(backend, accepted, options);
        try
        {
            await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            _context.Fail(CommandRunner.Describe(e));
            return ExitCodes.FromException(e);
        }

        var tls = connection.Tls!;
        _context.Status($"handshake with {peer} done: {SessionReport.Negotiated(tls)}");
        var session = new TlsSession(connection, settings, input, _context.Output, _context);
        var result = await session.RunAsync(cancellationToken).ConfigureAwait(false);
        SessionReport.End(_context, result);
        return result.ExitCode;
    }

    private CertificateWithChain GetCertificate(ParseResult parse)
    {
        string? pfx = parse.GetValue(_pfx);
        string? password = parse.GetValue(_password);
        bool hasPem = parse.GetValue(_shared.Certificate) is not null || parse.GetValue(_shared.Key) is not null;
        if (hasPem && pfx is not null)
        {
            throw new UsageException("Give the certificate either as --cert and --key or as --pfx, not both.");
        }

        if (password is not null && pfx is null)
        {
            throw new UsageException("--password is the password of --pfx; give --pfx too.");
        }

        if (_shared.GetCertificate(parse) is { } pem)
        {
            return pem;
        }

        if (pfx is not null)
        {
            return CertificateFiles.LoadPfx(pfx, password);
        }

        var selfSigned = TestPki.CreateSelfSigned();
        _context.Status(
            "using a fresh self-signed certificate for localhost, 127.0.0.1 and ::1; clients can trust it with "
            + $"--pin {PublicKeyPins.Format(TlsTrust.SpkiSha256(selfSigned))}");
        return new CertificateWithChain(selfSigned, []);
    }

    private static void ValidateOptions(TlsOptions options)
    {
        try
        {
            options.Validate(TlsRole.Server);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private static Socket Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(16);
            return listener;
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new TlsException(
                TlsErrorKind.Transport,
                $"Cannot listen on 127.0.0.1:{port}: {e.Message} ({e.SocketErrorCode}).",
                innerException: e);
        }
    }
}
