namespace Vtls;

/// <summary>
/// TLS alert descriptions, with the codes of the registry.
/// </summary>
/// <remarks>
/// RFC 8446, 6: the alert registry shared by TLS 1.2 and 1.3.
/// https://www.rfc-editor.org/rfc/rfc8446#section-6
/// </remarks>
public enum TlsAlertDescription : byte
{
    /// <summary>close_notify (0): the sender will send no more data.</summary>
    CloseNotify = 0,

    /// <summary>unexpected_message (10).</summary>
    UnexpectedMessage = 10,

    /// <summary>bad_record_mac (20).</summary>
    BadRecordMac = 20,

    /// <summary>record_overflow (22).</summary>
    RecordOverflow = 22,

    /// <summary>handshake_failure (40).</summary>
    HandshakeFailure = 40,

    /// <summary>bad_certificate (42).</summary>
    BadCertificate = 42,

    /// <summary>unsupported_certificate (43).</summary>
    UnsupportedCertificate = 43,

    /// <summary>certificate_revoked (44).</summary>
    CertificateRevoked = 44,

    /// <summary>certificate_expired (45).</summary>
    CertificateExpired = 45,

    /// <summary>certificate_unknown (46).</summary>
    CertificateUnknown = 46,

    /// <summary>illegal_parameter (47).</summary>
    IllegalParameter = 47,

    /// <summary>unknown_ca (48).</summary>
    UnknownCa = 48,

    /// <summary>access_denied (49).</summary>
    AccessDenied = 49,

    /// <summary>decode_error (50).</summary>
    DecodeError = 50,

    /// <summary>decrypt_error (51).</summary>
    DecryptError = 51,

    /// <summary>protocol_version (70).</summary>
    ProtocolVersion = 70,

    /// <summary>insufficient_security (71).</summary>
    InsufficientSecurity = 71,

    /// <summary>internal_error (80).</summary>
    InternalError = 80,

    /// <summary>inappropriate_fallback (86).</summary>
    InappropriateFallback = 86,

    /// <summary>user_canceled (90): a warning that the sender cancels; a close_notify should follow.</summary>
    UserCanceled = 90,

    /// <summary>missing_extension (109).</summary>
    MissingExtension = 109,

    /// <summary>unsupported_extension (110).</summary>
    UnsupportedExtension = 110,

    /// <summary>unrecognized_name (112).</summary>
    UnrecognizedName = 112,

    /// <summary>bad_certificate_status_response (113).</summary>
    BadCertificateStatusResponse = 113,

    /// <summary>unknown_psk_identity (115).</summary>
    UnknownPskIdentity = 115,

    /// <summary>certificate_required (116).</summary>
    CertificateRequired = 116,

    /// <summary>no_application_protocol (120).</summary>
    NoApplicationProtocol = 120,
}

/// <summary>Helpers for <see cref="TlsAlertDescription"/>.</summary>
public static class TlsAlertDescriptionExtensions
{
    /// <summary>The alert's name as the RFC writes it, for example <c>close_notify</c>.</summary>
    /// <param name="alert">The alert.</param>
    public static string ToRfcName(this TlsAlertDescription alert)
    {
        if (!Enum.IsDefined(alert))
        {
            return $"alert({(byte)alert})";
        }

        var name = alert.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
