using System.CommandLine;
using System.Globalization;

namespace Vtls.Cli.Commands;

/// <summary>The options <c>connect</c> and <c>serve</c> share, and their validation.</summary>
internal sealed class TlsCommandOptions
{
    private const double DefaultTimeoutSeconds = 10;

    /// <summary><c>--backend NAME</c>.</summary>
    public Option<string?> Backend { get; } = new("--backend", "-b")
    {
        Description = "The TLS backend (see 'vtls backends'). Default: the first of VTLS_BACKEND (a "
            + "comma-separated list) that is registered, else the first registered backend.",
        HelpName = "NAME",
    };

    /// <summary><c>--tls 1.2|1.3</c>.</summary>
    public Option<string?> Tls { get; } = CreateTlsOption();

    /// <summary><c>--alpn P</c>, repeatable.</summary>
    public Option<string[]> Alpn { get; } = new("--alpn")
    {
        Description = "Offer (or accept) this ALPN protocol, for example h2 or http/1.1. Repeat for several, "
            + "in order of preference.",
        HelpName = "PROTOCOL",
    };

    /// <summary><c>--cert FILE</c>.</summary>
    public Option<string?> Certificate { get; } = new("--cert")
    {
        Description = "This side's certificate, PEM (intermediates may follow it in the file); needs --key.",
        HelpName = "FILE",
    };

    /// <summary><c>--key FILE</c>.</summary>
    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The PEM private key of --cert.",
        HelpName = "FILE",
    };

    /// <summary><c>--abort</c>.</summary>
    public Option<bool> Abort { get; } = new("--abort")
    {
        Description = "End by closing the connection without close_notify, so the peer sees a truncated "
            + "stream. Use it to test how a peer handles truncation.",
    };

    /// <summary><c>--timeout SECONDS</c>.</summary>
    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds allowed for the handshake, and for the peer's close_notify once ours is sent.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => DefaultTimeoutSeconds,
    };

    /// <summary><c>-v</c>.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Trace the handshake, alerts and shutdown steps on standard error, like curl -v.",
    };

    /// <summary>Adds every shared option to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(Backend);
        command.Options.Add(Tls);
        command.Options.Add(Alpn);
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(Abort);
        command.Options.Add(Timeout);
        command.Options.Add(Verbose);
    }

    /// <summary>The protocol versions <c>--tls</c> allows.</summary>
    /// <param name="parse">The parsed command line.</param>
    public TlsProtocols GetProtocols(ParseResult parse) => parse.GetValue(Tls) switch
    {
        "1.2" => TlsProtocols.Tls12,
        "1.3" => TlsProtocols.Tls13,
        _ => TlsProtocols.Tls12And13,
    };

    /// <summary>The <c>--timeout</c> as a time span.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <exception cref="UsageException">Not a positive number of seconds (at most a day).</exception>
    public TimeSpan GetTimeout(ParseResult parse)
    {
        double seconds = parse.GetValue(Timeout);
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > 86_400)
        {
            throw new UsageException(
                $"--timeout must be a number of seconds above 0 and at most 86400; got "
                + $"{seconds.ToString(CultureInfo.InvariantCulture)}.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The ALPN protocols, in order.</summary>
    /// <param name="parse">The parsed command line.</param>
    public IList<string> GetAlpn(ParseResult parse) => [.. parse.GetValue(Alpn) ?? []];

    /// <summary>The <c>--cert</c>/<c>--key</c> pair, or <see langword="null"/> when neither is given.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <exception cref="UsageException">One is given without the other, or a file cannot be loaded.</exception>
    public Certificates.CertificateWithChain? GetCertificate(ParseResult parse)
    {
        string? certificate = parse.GetValue(Certificate);
        string? key = parse.GetValue(Key);
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new UsageException(certificate is null
                ? "--key needs --cert: give the certificate that goes with the key."
                : "--cert needs --key: give the private key of the certificate.");
        }

        return Certificates.CertificateFiles.LoadPemPair(certificate, key);
    }

    /// <summary>
    /// Chooses the backend: <c>--backend</c>, else <c>VTLS_BACKEND</c>, else the first registered one, with the
    /// features the other options need.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="registry">The backends.</param>
    /// <param name="required">Features the command needs (server role, ALPN, client certificates).</param>
    /// <exception cref="UsageException">
    /// Unknown backend, or one without a needed feature; the message lists what is available.
    /// </exception>
    public ITlsBackend SelectBackend(ParseResult parse, TlsBackendRegistry registry, TlsFeatures required)
    {
        if (parse.GetValue(Alpn) is { Length: > 0 })
        {
            required |= TlsFeatures.Alpn;
        }

        try
        {
            return registry.Select(parse.GetValue(Backend), required);
        }
        catch (TlsException e) when (e.Kind == TlsErrorKind.Misuse)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private static Option<string?> CreateTlsOption()
    {
        var option = new Option<string?>("--tls")
        {
            Description = "Allow only this TLS version: 1.2 or 1.3. Default: both.",
            HelpName = "1.2|1.3",
        };
        option.AcceptOnlyFromAmong("1.2", "1.3");
        return option;
    }
}
