using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.Wire;

public class WireRecordParserTests
{
    private static readonly byte[] Stream = Records.Concat(
        Records.Make(22, 300),
        Records.Data(0),
        Records.Tls13Alert(),
        Records.Make(21, 2));

    [Fact]
    public void Feed_OneChunk_FindsEveryRecordWithItsOffset()
    {
        var parser = new WireRecordParser(WireDirection.ClientToServer);

        var records = parser.Feed(Stream);

        Assert.Equal([22, 23, 23, 21], records.Select(r => (int)r.ContentType));
        Assert.Equal([300, 0, 19, 2], records.Select(r => r.Length));
        Assert.Equal([0L, 305, 310, 334], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal(0x0303, r.Version));
        Assert.False(parser.IsInsideRecord);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(304)]
    public void Feed_SplitIntoPieces_FindsTheSameRecords(int pieceSize)
    {
        var whole = new WireRecordParser(WireDirection.ServerToClient).Feed(Stream);
        var parser = new WireRecordParser(WireDirection.ServerToClient);
        var found = new List<WireRecord>();

        for (int i = 0; i < Stream.Length; i += pieceSize)
        {
            found.AddRange(parser.Feed(Stream.AsSpan(i, Math.Min(pieceSize, Stream.Length - i))));
        }

        Assert.Equal(whole, found);
    }

    [Fact]
    public void IsInsideRecord_StreamStopsInHeaderOrPayload_IsTrue()
    {
        var inHeader = new WireRecordParser(WireDirection.ClientToServer);
        inHeader.Feed(Stream.AsSpan(0, 3));
        var inPayload = new WireRecordParser(WireDirection.ClientToServer);
        inPayload.Feed(Stream.AsSpan(0, 100));

        Assert.True(inHeader.IsInsideRecord);
        Assert.True(inPayload.IsInsideRecord);
    }
}
