using System.Net.Sockets;
using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.Wire;

public class WireRecorderTests
{
    [Fact]
    public async Task Forwarding_RecordsSplitAcrossWrites_ArriveIntactAndAreLogged()
    {
        await using var pair = await RecordedPair.StartAsync();
        var bytes = Records.Concat(Records.Make(22, 1000), Records.Data(50), Records.Tls13Alert());

        // Dribble the bytes in odd-sized writes so headers straddle TCP segments.
        for (int i = 0; i < bytes.Length; i += 3)
        {
            await pair.Client.SendAsync(bytes.AsMemory(i, Math.Min(3, bytes.Length - i)));
        }

        var received = await RecordedPair.ReadAsync(pair.Server, bytes.Length);
        await pair.Recorder.WaitForRecordAsync(WireDirection.ClientToServer, r => r.Length == 19, RecordedPair.Timeout);

        Assert.Equal(bytes, received);
        var log = pair.Recorder.ClientToServer;
        Assert.Equal([1000, 50, 19], log.Records.Select(r => r.Length));
        Assert.Equal(bytes.Length, log.ByteCount);
        Assert.Equal(StreamEnd.Open, log.End);
    }

    [Fact]
    public async Task Fin_FromClient_IsForwardedAsHalfCloseAndLoggedAsFin()
    {
        await using var pair = await RecordedPair.StartAsync();
        var record = Records.Data(10);

        await pair.Client.SendAsync(record);
        pair.Client.Shutdown(SocketShutdown.Send);
        var atServer = await RecordedPair.ReadToEndAsync(pair.Server);

        // The other direction still flows after the half-close.
        await pair.Server.SendAsync(Records.Tls13Alert());
        var atClient = await RecordedPair.ReadAsync(pair.Client, 24);

        Assert.Equal(record, atServer);
        Assert.Equal(24, atClient.Length);
        Assert.Equal(StreamEnd.Fin, pair.Recorder.ClientToServer.End);
        Assert.False(pair.Recorder.ClientToServer.EndedInsideRecord);
        Assert.Equal(StreamEnd.Open, pair.Recorder.ServerToClient.End);
    }

    [Fact]
    public async Task Fin_BothSides_CompletesWithFinInBothDirections()
    {
        await using var pair = await RecordedPair.StartAsync();

        pair.Client.Shutdown(SocketShutdown.Send);
        await RecordedPair.ReadToEndAsync(pair.Server);
        pair.Server.Shutdown(SocketShutdown.Send);
        await RecordedPair.ReadToEndAsync(pair.Client);
        await pair.CompletionAsync();

        Assert.Equal(StreamEnd.Fin, pair.Recorder.ClientToServer.End);
        Assert.Equal(StreamEnd.Fin, pair.Recorder.ServerToClient.End);
    }

    [Fact]
    public async Task Fin_InsideRecord_IsLoggedAsCutRecord()
    {
        await using var pair = await RecordedPair.StartAsync();

        await pair.Server.SendAsync(Records.Data(100).AsMemory(0, 40));
        pair.Server.Shutdown(SocketShutdown.Send);
        await RecordedPair.ReadToEndAsync(pair.Client);

        var log = pair.Recorder.ServerToClient;
        Assert.Equal(StreamEnd.Fin, log.End);
        Assert.True(log.EndedInsideRecord);
        Assert.True(Assert.Single(log.Records).Truncated);
    }

    [Fact]
    public async Task Reset_FromClient_IsLoggedAsResetAndResetsTheServer()
    {
        await using var pair = await RecordedPair.StartAsync();
        await pair.Client.SendAsync(Records.Data(10));
        await RecordedPair.ReadAsync(pair.Server, 15);

        RecordedPair.Reset(pair.Client);

        var error = await Assert.ThrowsAsync<SocketException>(() => RecordedPair.ReadToEndAsync(pair.Server));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await pair.CompletionAsync();
        Assert.Equal(StreamEnd.Reset, pair.Recorder.ClientToServer.End);
        Assert.Equal(StreamEnd.Open, pair.Recorder.ServerToClient.End);
    }

    [Fact]
    public async Task Reset_AfterFinWithUnreadData_IsLoggedAsReset()
    {
        // The N02 failure: a side half-closes, then closes with bytes it never read, so its kernel sends RST.
        await using var pair = await RecordedPair.StartAsync();
        pair.Client.Shutdown(SocketShutdown.Send);
        await RecordedPair.ReadToEndAsync(pair.Server);
        await pair.Server.SendAsync(Records.Data(100));
        await pair.Recorder.WaitForRecordAsync(WireDirection.ServerToClient, _ => true, RecordedPair.Timeout);
        Assert.True(RecordedPair.HasArrival(pair.Client, 2000));

        pair.Client.Close();
        await Task.Delay(100);
        pair.Server.Shutdown(SocketShutdown.Send);
        await pair.CompletionAsync();

        var log = pair.Recorder.ClientToServer;
        Assert.True(log.IsFinSeen);
        Assert.Equal(StreamEnd.Reset, log.End);
    }

    [Fact]
    public async Task WaitForRecordAsync_RecordAlreadySeen_ReturnsItUnlessStartIndexSkipsIt()
    {
        await using var pair = await RecordedPair.StartAsync();
        await pair.Client.SendAsync(Records.Data(10));
        await RecordedPair.ReadAsync(pair.Server, 15);

        var seen = await pair.Recorder.WaitForRecordAsync(
            WireDirection.ClientToServer, r => r.Length == 10, RecordedPair.Timeout);
        var later = pair.Recorder.WaitForRecordAsync(
            WireDirection.ClientToServer, r => r.Length == 10, startIndex: 1, RecordedPair.Timeout);
        Assert.False(later.IsCompleted);
        await pair.Client.SendAsync(Records.Data(10));

        Assert.Equal(0, seen.Offset);
        Assert.Equal(15, (await later).Offset);
    }

    [Fact]
    public async Task WaitForRecordAsync_StreamEndsWithoutMatch_ThrowsTimeoutAtOnce()
    {
        await using var pair = await RecordedPair.StartAsync();
        var wait = pair.Recorder.WaitForRecordAsync(
            WireDirection.ClientToServer, r => r.Length == 99, TimeSpan.FromSeconds(30));

        pair.Client.Shutdown(SocketShutdown.Send);

        await Assert.ThrowsAsync<TimeoutException>(() => wait.WaitAsync(RecordedPair.Timeout));
    }

    [Fact]
    public async Task WaitForRecordAsync_NothingArrives_ThrowsTimeout()
    {
        await using var pair = await RecordedPair.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => pair.Recorder.WaitForRecordAsync(
            WireDirection.ServerToClient, _ => true, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task DisposeAsync_WhileClientNeverConnected_CompletesPromptly()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        var recorder = WireRecorder.Start((System.Net.IPEndPoint)listener.LocalEndPoint!);

        await recorder.DisposeAsync().AsTask().WaitAsync(RecordedPair.Timeout);

        Assert.True(recorder.Completion.IsCompleted);
    }

    [Fact]
    public async Task Lifetime_Expires_TearsDownAndCompletes()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        await using var recorder = WireRecorder.Start(
            (System.Net.IPEndPoint)listener.LocalEndPoint!, TimeSpan.FromMilliseconds(200));

        await recorder.Completion.WaitAsync(RecordedPair.Timeout);

        Assert.NotNull(recorder.Error);
    }
}
