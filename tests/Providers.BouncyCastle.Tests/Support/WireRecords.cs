namespace Vtls.Tests.Support;

/// <summary>Splits what one side sent into TLS records, to count what crossed the wire.</summary>
internal static class WireRecords
{
    public const byte Alert = 21;
    public const byte ApplicationData = 23;

    /// <summary>The records in <paramref name="bytes"/>, as (offset, content type, payload length).</summary>
    /// <remarks>A cut record at the end is left out.</remarks>
    public static List<(int Offset, byte Type, int Length)> Parse(byte[] bytes)
    {
        var records = new List<(int, byte, int)>();
        int offset = 0;
        while (offset + 5 <= bytes.Length)
        {
            int length = (bytes[offset + 3] << 8) | bytes[offset + 4];
            if (offset + 5 + length > bytes.Length)
            {
                break;
            }

            records.Add((offset, bytes[offset], length));
            offset += 5 + length;
        }

        return records;
    }

    /// <summary>
    /// Records that can only be alerts, after <paramref name="fromOffset"/>: TLS 1.2 alert records (plain type),
    /// and TLS 1.3 records of 19 payload bytes (a 2-byte alert, its inner type and a 16-byte AEAD tag). Tests never
    /// send 2-byte application data, so the TLS 1.3 rule is unambiguous here.
    /// </summary>
    public static int CountAlerts(byte[] bytes, int fromOffset, TlsProtocols protocol) =>
        Parse(bytes).Count(r => r.Offset >= fromOffset && IsAlert(r.Type, r.Length, protocol));

    /// <summary>Application data records after <paramref name="fromOffset"/>.</summary>
    public static int CountData(byte[] bytes, int fromOffset, TlsProtocols protocol) =>
        Parse(bytes).Count(
            r => r.Offset >= fromOffset && r.Type == ApplicationData && !IsAlert(r.Type, r.Length, protocol));

    /// <summary>Whether every sent byte forms whole records (no cut record at the end).</summary>
    public static bool EndsOnRecordBoundary(byte[] bytes)
    {
        var records = Parse(bytes);
        int end = records.Count == 0 ? 0 : records[^1].Offset + 5 + records[^1].Length;
        return end == bytes.Length;
    }

    private static bool IsAlert(byte type, int length, TlsProtocols protocol) =>
        protocol == TlsProtocols.Tls13 ? type == ApplicationData && length == 19 : type == Alert;
}
