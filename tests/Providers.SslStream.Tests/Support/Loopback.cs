using System.Net;
using System.Net.Sockets;

namespace Vtls.Tests.Support;

/// <summary>Real TCP connections on 127.0.0.1 with a port from the OS.</summary>
internal static class Loopback
{
    /// <summary>A connected pair of sockets: (client, server).</summary>
    public static (Socket Client, Socket Server) Connect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndpoint);
        var server = listener.AcceptSocket();
        return (client, server);
    }

    /// <summary>Writes raw bytes on a socket (blocking until taken; loopback buffers are large).</summary>
    public static void SendRaw(Socket socket, byte[] data)
    {
        int sent = 0;
        var deadline = DateTime.UtcNow + Drive.DefaultTimeout;
        while (sent < data.Length)
        {
            int n = socket.Send(data, sent, data.Length - sent, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The raw send did not finish.");
                }

                socket.Poll(TimeSpan.FromMilliseconds(10), SelectMode.SelectWrite);
                continue;
            }

            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            sent += n;
        }
    }

    /// <summary>Closes a socket with an RST instead of a FIN (linger on, zero timeout).</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
