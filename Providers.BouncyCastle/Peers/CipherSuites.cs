using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Peers;

/// <summary>The cipher suites this backend offers and accepts, and their IANA names.</summary>
internal static class CipherSuites
{
    // RFC 8446, 9.1: "A TLS-compliant application MUST implement the TLS_AES_128_GCM_SHA256 cipher suite and
    // SHOULD implement the TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256 cipher suites".
    // https://www.rfc-editor.org/rfc/rfc8446#section-9.1
    // BouncyCastle's default client leaves out TLS_AES_256_GCM_SHA384, so all three are listed here.
    private static readonly (int Code, string Name)[] s_tls13 =
    [
        (CipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256"),
        (CipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384"),
        (CipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256"),
    ];

    // TLS 1.2: forward secrecy and AEAD only.
    private static readonly (int Code, string Name)[] s_tls12Ecdsa =
    [
        (CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        (CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        (CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    ];

    private static readonly (int Code, string Name)[] s_tls12Rsa =
    [
        (CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        (CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        (CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    ];

    /// <summary>What a client offers: every TLS 1.3 suite, and ECDHE with AEAD for TLS 1.2.</summary>
    public static int[] ForClient() =>
        s_tls13.Concat(s_tls12Ecdsa).Concat(s_tls12Rsa).Select(s => s.Code).ToArray();

    /// <summary>
    /// What a server accepts: every TLS 1.3 suite, and the TLS 1.2 suites its key can sign for (a TLS 1.2 suite
    /// names the certificate's key type).
    /// </summary>
    /// <param name="key">The server key's algorithm.</param>
    public static int[] ForServer(Crypto.KeyAlgorithm key) =>
        s_tls13.Concat(key == Crypto.KeyAlgorithm.Rsa ? s_tls12Rsa : s_tls12Ecdsa).Select(s => s.Code).ToArray();

    /// <summary>The IANA name of a suite this backend negotiates, or its number in hex.</summary>
    /// <param name="code">The suite's code.</param>
    public static string Name(int code)
    {
        foreach (var (c, name) in s_tls13.Concat(s_tls12Ecdsa).Concat(s_tls12Rsa))
        {
            if (c == code)
            {
                return name;
            }
        }

        return $"0x{code:X4}";
    }
}
