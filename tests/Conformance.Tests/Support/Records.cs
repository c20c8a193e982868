namespace Vtls.Tests.Support;

/// <summary>Fake TLS records (a valid 5-byte header and filler payload) for exercising the recorder.</summary>
internal static class Records
{
    public static byte[] Make(byte contentType, int payloadLength, byte fill = 0xAB)
    {
        var record = new byte[5 + payloadLength];
        record[0] = contentType;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = (byte)(payloadLength >> 8);
        record[4] = (byte)payloadLength;
        record.AsSpan(5).Fill(fill);
        return record;
    }

    public static byte[] Data(int payloadLength, byte fill = 0xAB) => Make(23, payloadLength, fill);

    /// <summary>The size of a TLS 1.3 close_notify (or any alert) under a 16-byte-tag AEAD.</summary>
    public static byte[] Tls13Alert(byte fill = 0xCC) => Make(23, 19, fill);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
