namespace Vtls;

/// <summary>TLS protocol versions a connection may use.</summary>
[Flags]
public enum TlsProtocols
{
    /// <summary>None: not a valid setting on its own.</summary>
    None = 0,

    /// <summary>TLS 1.2 (RFC 5246).</summary>
    Tls12 = 1,

    /// <summary>TLS 1.3 (RFC 8446).</summary>
    Tls13 = 2,

    /// <summary>TLS 1.2 and 1.3: the default.</summary>
    Tls12And13 = Tls12 | Tls13,
}

/// <summary>The side a filter plays in the handshake.</summary>
public enum TlsRole
{
    /// <summary>Sends ClientHello; verifies the server's certificate and name.</summary>
    Client,

    /// <summary>Answers ClientHello; presents a certificate.</summary>
    Server,
}
