namespace Vtls.Providers.BouncyCastle.Crypto;

/// <summary>The kind of key a local certificate carries; it decides the TLS 1.2 suites and signature schemes.</summary>
internal enum KeyAlgorithm
{
    /// <summary>ECDSA on a NIST curve.</summary>
    Ecdsa,

    /// <summary>RSA.</summary>
    Rsa,
}
