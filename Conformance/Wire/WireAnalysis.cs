namespace Vtls.Conformance.Wire;

/// <summary>
/// Reads alerts off the wire without keys: an encrypted alert is recognised by its record size, which the AEADs
/// TLS uses fix exactly.
/// </summary>
public static class WireAnalysis
{
    // TLS 1.3: an alert is encrypted as content type 23; its payload is the 2-byte alert, the 1-byte inner content
    // type and the 16-byte AEAD tag (AES-GCM, ChaCha20-Poly1305, AES-CCM all use 16).
    // RFC 8446, 5.2: "opaque content[TLSPlaintext.length]; ContentType type; uint8 zeros[length_of_padding];"
    // https://www.rfc-editor.org/rfc/rfc8446#section-5.2
    private const int Tls13AlertPayload = 2 + 1 + 16;

    // TLS 1.2 AES-GCM: 8-byte explicit nonce + 2-byte alert + 16-byte tag.
    // RFC 5288, 3: "The nonce_explicit MAY be the 64-bit sequence number."
    // https://www.rfc-editor.org/rfc/rfc5288#section-3
    private const int Tls12GcmAlertPayload = 8 + 2 + 16;

    // TLS 1.2 ChaCha20-Poly1305 has no explicit nonce: 2-byte alert + 16-byte tag.
    // RFC 7905, 2: "the nonce is formed by ... XORing ... with the padded sequence number"
    // https://www.rfc-editor.org/rfc/rfc7905#section-2
    private const int Tls12ChaChaAlertPayload = 2 + 16;

    // A plaintext alert (before encryption, or a TLS 1.2 NULL cipher) is just the two bytes.
    private const int PlaintextAlertPayload = 2;

    /// <summary>
    /// Whether <paramref name="record"/> has the size of an (encrypted) alert under <paramref name="protocol"/>:
    /// TLS 1.3 - content type 23 and payload 19; TLS 1.2 - content type 21 and payload 26 (GCM), 18 (ChaCha20)
    /// or 2 (plaintext). With both versions set, either shape counts.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="protocol">The version that was negotiated.</param>
    public static bool IsAlertSized(WireRecord record, TlsProtocols protocol)
    {
        ArgumentNullException.ThrowIfNull(record);
        bool tls13 = protocol.HasFlag(TlsProtocols.Tls13)
            && record.ContentType == WireRecord.ApplicationData
            && record.Length == Tls13AlertPayload;
        bool tls12 = protocol.HasFlag(TlsProtocols.Tls12)
            && record.ContentType == WireRecord.Alert
            && record.Length is Tls12GcmAlertPayload or Tls12ChaChaAlertPayload or PlaintextAlertPayload;

        // A plaintext alert (content type 21, 2 bytes) is what either version sends before keys are in use.
        bool plaintext = record.ContentType == WireRecord.Alert && record.Length == PlaintextAlertPayload;
        return tls13 || tls12 || plaintext;
    }

    /// <summary>
    /// Counts the alert-sized records (see <see cref="IsAlertSized"/>) whose header starts at or after
    /// <paramref name="offset"/> in <paramref name="log"/>. Use the log's byte count taken before an operation as
    /// the offset to count what that operation put on the wire.
    /// </summary>
    /// <param name="log">One direction's log.</param>
    /// <param name="offset">The stream offset to start counting at.</param>
    /// <param name="protocol">The version that was negotiated.</param>
    public static int CountAlertSizedRecordsAfter(WireDirectionLog log, long offset, TlsProtocols protocol)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.Records.Count(r => r.Offset >= offset && IsAlertSized(r, protocol));
    }

    /// <summary>The application-data-typed records after <paramref name="offset"/> that are NOT alert-sized.</summary>
    /// <param name="log">One direction's log.</param>
    /// <param name="offset">The stream offset to start at.</param>
    /// <param name="protocol">The version that was negotiated.</param>
    public static int CountDataRecordsAfter(WireDirectionLog log, long offset, TlsProtocols protocol)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.Records.Count(r =>
            r.Offset >= offset && r.ContentType == WireRecord.ApplicationData && !IsAlertSized(r, protocol));
    }
}
