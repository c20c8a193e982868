using System.Net;
using System.Net.Sockets;
using Vtls.Conformance.Wire;

namespace Vtls.Tests.Support;

/// <summary>
/// A plain TCP client and server on loopback with a <see cref="WireRecorder"/> between them, for testing the
/// recorder itself without TLS. Every wait is bounded by <see cref="Timeout"/>.
/// </summary>
internal sealed class RecordedPair : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private RecordedPair(Socket client, Socket server, WireRecorder recorder)
    {
        Client = client;
        Server = server;
        Recorder = recorder;
    }

    public Socket Client { get; }

    public Socket Server { get; }

    public WireRecorder Recorder { get; }

    public static async Task<RecordedPair> StartAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var recorder = WireRecorder.Start((IPEndPoint)listener.LocalEndPoint!, TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource(Timeout);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(recorder.EndPoint, cts.Token);
        var server = await listener.AcceptAsync(cts.Token);
        server.NoDelay = true;
        return new RecordedPair(client, server, recorder);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or fewer if the stream ends first.</summary>
    public static async Task<byte[]> ReadAsync(Socket socket, int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return buffer[..filled];
    }

    /// <summary>Reads until the stream ends (FIN); throws on a reset or after the timeout.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, n);
        }
    }

    /// <summary>Whether anything (bytes, FIN or RST) is waiting on the socket after a short grace.</summary>
    public static bool HasArrival(Socket socket, int graceMilliseconds = 300) =>
        socket.Poll(TimeSpan.FromMilliseconds(graceMilliseconds), SelectMode.SelectRead);

    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public async Task CompletionAsync() => await Recorder.Completion.WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Server.Dispose();
        await Recorder.DisposeAsync();
    }
}
