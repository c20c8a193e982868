using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vtls.Cli.Certificates;
using Vtls.Cli.Sessions;

namespace Vtls.Cli.Commands;

/// <summary>
/// <c>vtls connect HOST:PORT</c>: a TLS client like <c>openssl s_client</c>. Sends standard input, writes what
/// arrives to standard output, and ends gracefully at the end of input (or aborts with <c>--abort</c>).
/// </summary>
internal sealed class ConnectCommand
{
    private const string Examples =
        """
        Examples:
          echo hello | vtls connect 127.0.0.1:4433 --pin sha256//...   talk to 'vtls serve 4433'
          vtls connect example.com:443 -v < request.txt                 trace the handshake and shutdown
          vtls connect localhost:4433 --ca ca.pem --abort < /dev/null   end without close_notify
        """;

    private readonly CliContext _context;
    private readonly TlsCommandOptions _shared = new();

    private readonly Argument<string> _target = new("HOST:PORT")
    {
        Description = "Where to connect: a name, an IPv4 address or a bracketed IPv6 address, and a port "
            + "(example.com:443, 127.0.0.1:4433, [::1]:4433).",
    };

    private readonly Option<string?> _serverName = new("--servername")
    {
        Description = "The name sent in SNI and checked against the certificate. Default: HOST (for an IP "
            + "address no SNI is sent and the certificate's IP address entries are checked).",
        HelpName = "NAME",
    };

    private readonly Option<string?> _ca = new("--ca")
    {
        Description = "Trust only the root certificate(s) in this PEM file instead of the system's roots. "
            + "The host name is still checked.",
        HelpName = "FILE",
    };

    private readonly Option<string[]> _pin = new("--pin")
    {
        Description = "Accept only a server whose public key has this SHA-256 pin (curl's form); chain and "
            + "name are then not checked. Several pins may be joined with ';'.",
        HelpName = "sha256//BASE64",
    };

    private readonly Option<bool> _insecure = new("--insecure", "-k")
    {
        Description = "Do not verify the server at all (any certificate, any name). For tests only; "
            + "a warning is printed.",
    };

    private ConnectCommand(CliContext context)
    {
        _context = context;
    }

    /// <summary>Creates the command.</summary>
    /// <param name="context">Standard streams and backends.</param>
    /// <param name="help">Takes the notes printed after the command's help.</param>
    public static Command Create(CliContext context, NotedHelpAction help)
    {
        var command = new ConnectCommand(context).Build();
        help.Add(command, Examples + "\n\n" + ExitCodes.HelpSection);
        return command;
    }

    private Command Build()
    {
        var command = new Command(
            "connect",
            "Connect to a TLS server, like openssl s_client: standard input is sent, what arrives is written to "
            + "standard output. At the end of input vtls sends close_notify and waits for the peer's (with "
            + "--abort it closes without one); standard error gives the negotiated version, cipher suite and "
            + "ALPN, and says whether the peer's close_notify came (not after a failed handshake: there was no "
            + "session to close). Secure by default: system roots and the host name.");
        command.Arguments.Add(_target);
        command.Options.Add(_serverName);
        command.Options.Add(_ca);
        command.Options.Add(_pin);
        command.Options.Add(_insecure);
        _shared.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_context, () => RunAsync(parse, ct), ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var target = HostPort.Parse(parse.GetValue(_target));
        var trust = GetTrust(parse);
        var clientCertificate = _shared.GetCertificate(parse);
        var required = clientCertificate is null ? TlsFeatures.None : TlsFeatures.ClientCertificates;
        var backend = _shared.SelectBackend(parse, _context.Registry, required);
        var timeout = _shared.GetTimeout(parse);
        using var traces = parse.GetValue(_shared.Verbose) ? _context.CreateTraceLoggerFactory() : null;
        var options = new TlsOptions
        {
            ServerName = parse.GetValue(_serverName) ?? target.Host,
            Trust = trust,
            Certificate = clientCertificate?.Certificate,
            CertificateChain = clientCertificate?.Chain,
            Protocols = _shared.GetProtocols(parse),
            ApplicationProtocols = _shared.GetAlpn(parse),
            HandshakeTimeout = timeout,
            ShutdownTimeout = timeout,
            LoggerFactory = traces,
        };
        ValidateOptions(options);
        if (trust.Mode == TlsTrustMode.Insecure)
        {
            _context.Warn("certificate verification is off (--insecure): the server is not authenticated.");
        }

        using var connection = await ConnectAsync(backend, target, options, cancellationToken).ConfigureAwait(false);
        var tls = connection.Tls!;
        _context.Status($"connected to {target} with {backend.Name}: {SessionReport.Negotiated(tls)}");
        _context.Status(SessionReport.PeerCertificate(tls, "server"));

        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = new SessionSettings
        {
            EndAtEndOfInput = true,
            Abort = parse.GetValue(_shared.Abort),
            ReceiveWhileShuttingDown = backend.Features.HasFlag(TlsFeatures.HalfClose),
        };
        var input = InputPump.Start(_context.Input, stopInput.Token);
        var session = new TlsSession(connection, settings, input, _context.Output, _context);
        var result = await session.RunAsync(cancellationToken).ConfigureAwait(false);
        await stopInput.CancelAsync().ConfigureAwait(false);
        SessionReport.End(_context, result);
        return result.ExitCode;
    }

    private TlsTrust GetTrust(ParseResult parse)
    {
        string? ca = parse.GetValue(_ca);
        string[] pins = parse.GetValue(_pin) ?? [];
        bool insecure = parse.GetValue(_insecure);
        if (insecure && (ca is not null || pins.Length > 0))
        {
            throw new UsageException("--insecure turns verification off; it cannot be combined with --ca or --pin.");
        }

        if (ca is not null && pins.Length > 0)
        {
            throw new UsageException(
                "Give either --ca (verify the chain and name) or --pin (trust one key), not both.");
        }

        if (insecure)
        {
            return TlsTrust.InsecureSkipVerification();
        }

        if (ca is not null)
        {
            return TlsTrust.CustomRoots(CertificateFiles.LoadRoots(ca));
        }

        return pins.Length > 0 ? TlsTrust.PinnedPublicKey(PublicKeyPins.Parse(pins)) : TlsTrust.System;
    }

    private static void ValidateOptions(TlsOptions options)
    {
        try
        {
            options.Validate(TlsRole.Client);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>Resolves the host and connects to its addresses in turn until one answers.</summary>
    private async Task<TlsConnection> ConnectAsync(
        ITlsBackend backend,
        HostPort target,
        TlsOptions options,
        CancellationToken cancellationToken)
    {
        IPAddress[] addresses = target.Address is { } literal
            ? [literal]
            : await ResolveAsync(target.Host, cancellationToken).ConfigureAwait(false);
        for (int i = 0; ; i++)
        {
            var endPoint = new IPEndPoint(addresses[i], target.Port);
            var connection = TlsConnection.CreateClient(backend, endPoint, options);
            try
            {
                await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (TlsException e) when (e.Kind == TlsErrorKind.Transport && i + 1 < addresses.Length)
            {
                connection.Dispose();
                _context.Status($"{endPoint}: {e.Message} Trying the next address.");
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0
                ? addresses
                : throw new TlsException(TlsErrorKind.Transport, $"The name '{host}' has no address.");
        }
        catch (SocketException e)
        {
            throw new TlsException(
                TlsErrorKind.Transport,
                $"Cannot resolve '{host}': {e.Message}.",
                innerException: e);
        }
    }
}
