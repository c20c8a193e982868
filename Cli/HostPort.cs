using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vtls.Cli;

/// <summary>
/// A <c>HOST:PORT</c> target: a DNS name, an IPv4 literal, or an IPv6 literal in brackets (<c>[::1]:443</c>).
/// </summary>
/// <param name="Host">The host as written, without brackets.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
/// <param name="Address">
/// The address when <paramref name="Host"/> is an IP literal; otherwise <see langword="null"/>.
/// </param>
internal sealed record HostPort(string Host, int Port, IPAddress? Address)
{
    /// <summary>
    /// Whether the host is an IP literal (then no SNI is sent and the certificate's IP SAN is checked).
    /// </summary>
    public bool IsIpLiteral => Address is not null;

    /// <summary>Parses <c>HOST:PORT</c>.</summary>
    /// <param name="text">For example <c>example.com:443</c>, <c>127.0.0.1:4433</c> or <c>[::1]:443</c>.</param>
    /// <exception cref="UsageException">Not a valid target; the message shows the accepted forms.</exception>
    public static HostPort Parse(string? text)
    {
        const string Forms = "Use HOST:PORT, for example example.com:443, 127.0.0.1:4433 or [::1]:443.";
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"No target given. {Forms}");
        }

        string host;
        string port;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new UsageException($"'{text}' is not a valid target. {Forms}");
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new UsageException($"'{host}' in brackets is not an IPv6 address. {Forms}");
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                throw new UsageException($"'{text}' has no port. {Forms}");
            }

            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':'))
            {
                throw new UsageException($"'{text}': an IPv6 address goes in brackets, as in [::1]:443.");
            }
        }

        if (host.Length == 0)
        {
            throw new UsageException($"'{text}' has no host. {Forms}");
        }

        return new HostPort(host, ParsePort(port, allowZero: false, what: "port"), ParseAddress(host));
    }

    /// <summary>Parses a port number.</summary>
    /// <param name="text">The digits.</param>
    /// <param name="allowZero">Whether 0 ("let the system pick") is allowed, as for a listening port.</param>
    /// <param name="what">What the number is, for the message.</param>
    /// <exception cref="UsageException">Not a number in range.</exception>
    public static int ParsePort(string? text, bool allowZero, string what)
    {
        int min = allowZero ? 0 : 1;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            || value < min
            || value > IPEndPoint.MaxPort)
        {
            throw new UsageException($"The {what} must be a number from {min} to {IPEndPoint.MaxPort}; got '{text}'.");
        }

        return value;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static IPAddress? ParseAddress(string host)
    {
        // IPAddress.TryParse accepts forms such as "1" or "1.2"; only a dotted quad or an IPv6 literal counts here.
        if (!IPAddress.TryParse(host, out var address))
        {
            return null;
        }

        bool dottedQuad = address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') == 3;
        return dottedQuad || address.AddressFamily == AddressFamily.InterNetworkV6 ? address : null;
    }
}
