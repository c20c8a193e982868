using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>Application data in bulk, and the send side's flow control.</summary>
public sealed class DataTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-data");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Echo_OneMebibyte_ArrivesIntactBothWays(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        var payload = new byte[1 << 20];
        new Random(42).NextBytes(payload);
        var atServer = new MemoryStream();
        var atClient = new MemoryStream();
        var buffer = new byte[10_000];
        int echoed = 0;

        // The server echoes what it has as it arrives, so both directions carry data at once.
        Func<bool> echo = () =>
        {
            while (echoed < payload.Length)
            {
                if (echoed == atServer.Length)
                {
                    var read = pair.Server.Receive(buffer);
                    if (read.IsWouldBlock)
                    {
                        return false;
                    }

                    atServer.Write(buffer, 0, read.Count);
                }

                var sent = pair.Server.Send(atServer.GetBuffer().AsSpan(echoed, (int)atServer.Length - echoed));
                if (sent.IsWouldBlock)
                {
                    return false;
                }

                echoed += sent.Count;
            }

            return true;
        };
        Drive.Until(
            Drive.SendAll(pair.Client, payload),
            echo,
            Drive.ReceiveExactly(pair.Client, atClient, payload.Length));
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Client), Drive.Shutdown(pair.Server));

        Assert.Equal(payload, atClient.ToArray());
    }

    [Fact]
    public void Send_PeerNotReading_WouldBlockWithWriteInterestAndBoundedQueue()
    {
        using var pair = TlsPair.Connected(_pki);
        var chunk = new byte[64 * 1024];
        long taken = 0;
        IoResult result = default;

        // Nobody reads on the server: the kernel buffers fill, then the provider's queue, then send refuses.
        for (int i = 0; i < 10_000; i++)
        {
            result = pair.Client.Send(chunk);
            if (result.IsWouldBlock)
            {
                break;
            }

            taken += result.Count;
        }

        Assert.True(result.IsWouldBlock);
        Assert.Equal(IoInterest.Write, pair.Client.Interest);

        // Taken is not yet sent: ciphertext waits in the provider until a flush pushes it out, and then every
        // byte taken reaches the server.
        Assert.True(pair.Client.HasPendingOutput);
        var received = new MemoryStream();
        Drive.Until(Drive.ReceiveExactly(pair.Server, received, taken), () => pair.Client.Flush() == Progress.Done);
        Assert.Equal(taken, received.Length);
        Assert.False(pair.Client.HasPendingOutput);
    }

    [Fact]
    public void Receive_SmallBuffer_ReturnsRecordInPieces()
    {
        using var pair = TlsPair.Connected(_pki);
        Drive.Until(Drive.SendAll(pair.Server, "abcdefgh"u8.ToArray()));
        var received = new MemoryStream();

        var buffer = new byte[3];
        Drive.Until(() =>
        {
            var result = pair.Client.Receive(buffer);
            if (result.Status == IoStatus.Completed)
            {
                Assert.True(result.Count <= 3);
                received.Write(buffer, 0, result.Count);
            }

            return received.Length == 8;
        });

        Assert.Equal("abcdefgh"u8.ToArray(), received.ToArray());
        Assert.Equal(IoResult.WouldBlock, pair.Client.Receive(buffer));
        Assert.False(pair.Client.HasBufferedInput);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void HasBufferedInput_RecordsLeftAfterOneReceive_PollLoopWouldNotStall(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        var payload = new byte[48 * 1024];
        pair.ServerWire.Hold = true;
        Drive.Until(Drive.SendAll(pair.Server, payload));
        Loopback.SendRaw(pair.ServerTcp.Socket, pair.ServerWire.TakeHeld());
        var buffer = new byte[payload.Length];
        long received = 0;

        // A poll loop receives once per readiness. After each receive, either the socket is readable or the
        // filter says it holds input: otherwise the loop would wait forever on records already here.
        Drive.Until(() =>
        {
            var result = pair.Client.Receive(buffer);
            received += result.Count;
            if (result.Status == IoStatus.Completed && received < payload.Length)
            {
                Assert.True(pair.Client.HasBufferedInput || pair.ClientTcp.Socket.Available > 0);
            }

            return received == payload.Length;
        });

        Assert.Equal(IoResult.WouldBlock, pair.Client.Receive(buffer));
        Assert.False(pair.Client.HasBufferedInput);
    }
}
