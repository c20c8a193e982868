using System.Net.Sockets;
using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.Wire;

/// <summary>Each <see cref="WireFaultKind"/> does what it says, seen from plain sockets on both ends.</summary>
public class WireFaultTests
{
    private static readonly TimeSpan Timeout = RecordedPair.Timeout;

    [Fact]
    public async Task Swallow_ForwardsNothingMoreAndKeepsTheConnectionOpen()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.Swallow));

        await pair.Server.SendAsync(Records.Tls13Alert());
        pair.Server.Shutdown(SocketShutdown.Send);
        await pair.Recorder.WaitForRecordAsync(WireDirection.ServerToClient, _ => true, Timeout);

        // Neither the record nor the FIN reaches the client, but its own direction still works.
        Assert.False(RecordedPair.HasArrival(pair.Client));
        await pair.Client.SendAsync(Records.Data(4));
        Assert.Equal(9, (await RecordedPair.ReadAsync(pair.Server, 9)).Length);
        Assert.Equal(StreamEnd.Fin, pair.Recorder.ServerToClient.End);
    }

    [Fact]
    public async Task FinInsteadOfNextRecord_DropsTheRecordAndSendsFinAtTheBoundary()
    {
        await using var pair = await RecordedPair.StartAsync();
        var first = Records.Data(30);
        await pair.Server.SendAsync(first);
        await RecordedPair.ReadAsync(pair.Client, first.Length);

        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.FinInsteadOfNextRecord));
        await pair.Server.SendAsync(Records.Tls13Alert());

        Assert.Empty(await RecordedPair.ReadToEndAsync(pair.Client));
        Assert.Equal(2, pair.Recorder.ServerToClient.Records.Count);
        Assert.Equal(StreamEnd.Open, pair.Recorder.ServerToClient.End);
    }

    [Theory]
    [InlineData(0, 5 + 50)]
    [InlineData(7, 7)]
    [InlineData(3, 3)]
    public async Task FinInsideNextRecord_ForwardsOnlyPartOfTheRecordThenFin(int bytes, int expected)
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.FinInsideNextRecord, bytes));

        var record = Records.Data(100);
        await pair.Server.SendAsync(record);

        var received = await RecordedPair.ReadToEndAsync(pair.Client);
        Assert.Equal(record[..expected], received);
    }

    [Fact]
    public async Task ResetOnNextRecord_DropsItAndResetsBothSides()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ClientToServer, new WireFault(WireFaultKind.ResetOnNextRecord));

        await pair.Client.SendAsync(Records.Tls13Alert());

        await AssertResetAsync(pair.Server);
        await AssertResetAsync(pair.Client);
        await pair.CompletionAsync();
    }

    [Fact]
    public async Task ResetNow_ResetsBothSidesAtOnce()
    {
        await using var pair = await RecordedPair.StartAsync();

        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.ResetNow));

        await AssertResetAsync(pair.Client);
        await AssertResetAsync(pair.Server);
        await pair.CompletionAsync();
        // The recorder reset them; neither SENDER ended its stream.
        Assert.Equal(StreamEnd.Open, pair.Recorder.ClientToServer.End);
        Assert.Equal(StreamEnd.Open, pair.Recorder.ServerToClient.End);
    }

    [Fact]
    public async Task ReplayAfterNextRecord_ForwardsTheRecordThenACopyOfTheLastApplicationData()
    {
        await using var pair = await RecordedPair.StartAsync();
        var data = Records.Data(40, fill: 0x11);
        var handshake = Records.Make(22, 10, fill: 0x22);
        await pair.Server.SendAsync(Records.Concat(data, handshake));
        await RecordedPair.ReadAsync(pair.Client, data.Length + handshake.Length);

        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.ReplayAfterNextRecord));
        var closeNotify = Records.Tls13Alert();
        await pair.Server.SendAsync(closeNotify);

        var received = await RecordedPair.ReadAsync(pair.Client, closeNotify.Length + data.Length);
        Assert.Equal(Records.Concat(closeNotify, data), received);
    }

    [Fact]
    public async Task CoalesceUntilSmallRecord_HoldsRecordsAndWritesThemWithTheSmallOneInOneSend()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.CoalesceUntilSmallRecord));
        var data = Records.Concat(Records.Data(500, 1), Records.Data(700, 2));

        await pair.Server.SendAsync(data.AsMemory(0, 505));
        await pair.Server.SendAsync(data.AsMemory(505));
        await pair.Recorder.WaitForRecordAsync(WireDirection.ServerToClient, r => r.Length == 700, Timeout);
        Assert.False(RecordedPair.HasArrival(pair.Client));
        var closeNotify = Records.Tls13Alert();
        await pair.Server.SendAsync(closeNotify);

        Assert.True(RecordedPair.HasArrival(pair.Client, 2000));
        await Task.Delay(50);
        var buffer = new byte[4096];
        int first = pair.Client.Receive(buffer);
        Assert.Equal(Records.Concat(data, closeNotify), buffer[..first]);
    }

    [Fact]
    public async Task CoalesceUntilSmallRecord_NoSmallRecord_FlushesAfterTheBound()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.CoalesceUntilSmallRecord));
        var data = Records.Data(500);

        await pair.Server.SendAsync(data);

        Assert.Equal(data, await RecordedPair.ReadAsync(pair.Client, data.Length));
    }

    [Fact]
    public async Task CorruptNextRecord_FlipsOneBitOfTheLastPayloadByteOnly()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ClientToServer, new WireFault(WireFaultKind.CorruptNextRecord));
        var first = Records.Data(20, fill: 0x40);
        var second = Records.Data(20, fill: 0x40);

        await pair.Client.SendAsync(Records.Concat(first, second));

        var received = await RecordedPair.ReadAsync(pair.Server, 50);
        var expected = Records.Concat(first, second);
        expected[24] ^= 0x01;
        Assert.Equal(expected, received);
        Assert.Equal(2, pair.Recorder.ClientToServer.Records.Count);
    }

    [Fact]
    public async Task Faults_Queued_ApplyToSuccessiveRecordsInOrder()
    {
        await using var pair = await RecordedPair.StartAsync();
        pair.Recorder.Arm(WireDirection.ClientToServer, new WireFault(WireFaultKind.CorruptNextRecord));
        pair.Recorder.Arm(WireDirection.ClientToServer, new WireFault(WireFaultKind.FinInsteadOfNextRecord));
        var record = Records.Data(8, fill: 0);

        await pair.Client.SendAsync(Records.Concat(record, record, record));

        var received = await RecordedPair.ReadToEndAsync(pair.Server);
        var corrupted = (byte[])record.Clone();
        corrupted[^1] ^= 0x01;
        Assert.Equal(corrupted, received);
    }

    private static async Task AssertResetAsync(Socket socket)
    {
        var error = await Assert.ThrowsAsync<SocketException>(() => RecordedPair.ReadToEndAsync(socket));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }
}
