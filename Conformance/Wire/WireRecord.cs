namespace Vtls.Conformance.Wire;

/// <summary>One TLS record seen on the wire, read from its 5-byte header.</summary>
/// <param name="Direction">Which way it travelled.</param>
/// <param name="ContentType">
/// The header's content type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data (TLS 1.3 hides
/// alerts and handshake messages inside 23).
/// </param>
/// <param name="Version">The header's legacy version field, for example 0x0303.</param>
/// <param name="Length">The payload length the header announces (not counting the 5 header bytes).</param>
/// <param name="Offset">Byte offset of the header in this direction's stream.</param>
/// <param name="Truncated">Whether the stream ended before the whole record had crossed.</param>
public sealed record WireRecord(
    WireDirection Direction,
    byte ContentType,
    ushort Version,
    int Length,
    long Offset,
    bool Truncated)
{
    /// <summary>The size of a TLS record header.</summary>
    public const int HeaderLength = 5;

    /// <summary>Content type 21: a plaintext alert (TLS 1.2, or any alert before encryption starts).</summary>
    public const byte Alert = 21;

    /// <summary>Content type 22: handshake.</summary>
    public const byte Handshake = 22;

    /// <summary>Content type 23: application data (and, in TLS 1.3, every encrypted record).</summary>
    public const byte ApplicationData = 23;

    /// <summary>Header plus payload: the bytes this record takes on the wire.</summary>
    public int TotalLength => HeaderLength + Length;

    /// <summary>The offset just past the record's last byte.</summary>
    public long EndOffset => Offset + TotalLength;
}
