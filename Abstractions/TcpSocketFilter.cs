using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// The bottom filter: a TCP socket in non-blocking mode. End-of-stream here is the peer's FIN; the TLS filter
/// above decides whether that was a clean end.
/// </summary>
public sealed class TcpSocketFilter : ConnectionFilter
{
    private const int DrainLimit = 1 << 20;
    private static readonly TimeSpan WritePollSlice = TimeSpan.FromMilliseconds(50);
    private readonly Socket _socket;
    private readonly EndPoint? _remote;
    private bool _connectStarted;

    // The kernel reports a socket error once: a wait that noticed it keeps it for the next operation, which
    // would otherwise read a reset as a clean EOF (recv 0) or a broken pipe.
    private SocketException? _deferredError;

    /// <summary>Wraps a socket that is already connected (for example one returned by <c>Accept</c>).</summary>
    /// <param name="socket">The socket; the filter owns it from now on and makes it non-blocking.</param>
    /// <param name="logger">Trace sink.</param>
    public TcpSocketFilter(Socket socket, ILogger? logger = null)
        : base("tcp", null, logger)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!socket.Connected)
        {
            throw new ArgumentException("The socket is not connected; use the endpoint constructor.", nameof(socket));
        }

        _socket = socket;
        _socket.Blocking = false;
        _socket.NoDelay = true;
        IsConnected = true;
    }

    /// <summary>
    /// Creates a filter that connects to <paramref name="remote"/> when <see cref="ConnectionFilter.Connect"/> is
    /// driven.
    /// </summary>
    /// <param name="remote">
    /// Where to connect: an address and port. Host names are resolved by the caller first (resolution blocks).
    /// </param>
    /// <param name="logger">Trace sink.</param>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is not an <see cref="IPEndPoint"/>.</exception>
    public TcpSocketFilter(EndPoint remote, ILogger? logger = null)
        : base("tcp", null, logger)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote is not IPEndPoint)
        {
            throw new ArgumentException(
                $"A non-blocking connect needs an address, not '{remote}': resolve the host name first " +
                "(Dns.GetHostAddressesAsync) and connect to one of its addresses.",
                nameof(remote));
        }

        _remote = remote;
        _socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            Blocking = false,
            NoDelay = true,
        };
    }

    /// <inheritdoc/>
    public override Socket Socket => _socket;

    /// <inheritdoc/>
    public override bool HasBufferedInput => false;

    /// <inheritdoc/>
    public override async ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken)
    {
        if (IsClosed || interest == IoInterest.None)
        {
            return;
        }

        try
        {
            if (interest.HasFlag(IoInterest.Read) && !interest.HasFlag(IoInterest.Write))
            {
                // A zero-byte receive completes when data, FIN or RST arrives, without consuming anything.
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            // .NET has no asynchronous "wait until writable": poll in short slices on the thread pool.
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await Task.Run(() => PollOnce(interest), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (SocketException e)
        {
            // The failure surfaces, with its kind, on the next operation.
            _deferredError ??= e;
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: the next operation reports it.
        }
    }

    private bool PollOnce(IoInterest interest)
    {
        var read = interest.HasFlag(IoInterest.Read) ? new List<Socket> { _socket } : null;
        var write = interest.HasFlag(IoInterest.Write) ? new List<Socket> { _socket } : null;
        var error = new List<Socket> { _socket };
        Socket.Select(read, write, error, WritePollSlice);
        return read is { Count: > 0 } || write is { Count: > 0 } || error.Count > 0;
    }

    /// <inheritdoc/>
    protected override Progress ConnectCore()
    {
        if (!_connectStarted)
        {
            _connectStarted = true;
            try
            {
                _socket.Connect(_remote!);
                IsConnected = true;
                return Progress.Done;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                Interest = IoInterest.Write;
                return Progress.WouldBlock;
            }
            catch (SocketException e)
            {
                throw TransportError(e, $"connect to {_remote}");
            }
        }

        // A failed connect polls as writable too: the socket error, not writability, says how it ended.
        bool writable = _socket.Poll(TimeSpan.Zero, SelectMode.SelectWrite);
        if (writable || _socket.Poll(TimeSpan.Zero, SelectMode.SelectError))
        {
            var code = (SocketError)(int)_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (code != SocketError.Success)
            {
                throw TransportError(new SocketException((int)code), $"connect to {_remote}");
            }
        }

        if (!writable)
        {
            Interest = IoInterest.Write;
            return Progress.WouldBlock;
        }

        IsConnected = true;
        Interest = IoInterest.None;
        return Progress.Done;
    }

    /// <inheritdoc/>
    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        ThrowIfDeferredError("send");
        int sent = _socket.Send(data, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            Interest = sent > 0 ? IoInterest.None : IoInterest.Write;
            return sent > 0 ? IoResult.Completed(sent) : IoResult.WouldBlock;
        }

        if (error == SocketError.WouldBlock)
        {
            Interest = IoInterest.Write;
            return IoResult.WouldBlock;
        }

        throw TransportError(new SocketException((int)error), "send");
    }

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        ThrowIfDeferredError("receive");
        int received = _socket.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            Interest = IoInterest.None;
            return received > 0 ? IoResult.Completed(received) : IoResult.EndOfStream;
        }

        if (error == SocketError.WouldBlock)
        {
            Interest = IoInterest.Read;
            return IoResult.WouldBlock;
        }

        throw TransportError(new SocketException((int)error), "receive");
    }

    /// <summary>
    /// Drains bytes still unread (so that closing does not make the kernel answer them with a RST), then sends
    /// FIN. Completes at once. Transport errors are ignored here: the layers above have finished their own
    /// shutdown, and a peer that is gone leaves nothing to finish.
    /// </summary>
    protected override Progress ShutdownCore()
    {
        Span<byte> sink = stackalloc byte[4096];
        int drained = 0;
        while (drained < DrainLimit)
        {
            int n = _socket.Receive(sink, SocketFlags.None, out var error);
            if (error != SocketError.Success || n == 0)
            {
                break;
            }

            drained += n;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer is already gone; there is nothing left to finish.
        }

        return Progress.Done;
    }

    /// <inheritdoc/>
    protected override void CloseCore() => _socket.Dispose();

    private void ThrowIfDeferredError(string operation)
    {
        if (_deferredError is { } error)
        {
            throw TransportError(error, operation);
        }
    }

    private TlsException TransportError(SocketException e, string operation)
    {
        return e.SocketErrorCode switch
        {
            // EPIPE (Shutdown) is what send reports once the peer's RST has been reported: a reset as well.
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.NetworkReset
                or SocketError.Shutdown => new TlsException(
                TlsErrorKind.TransportReset,
                $"The connection was reset by the peer during {operation} ({e.SocketErrorCode}).",
                innerException: e),
            SocketError.ConnectionRefused => new TlsException(
                TlsErrorKind.Transport,
                $"The connection was refused during {operation}: nothing accepts connections there. " +
                "Check the host and port, and that the server is running.",
                innerException: e),
            SocketError.TimedOut => new TlsException(
                TlsErrorKind.Timeout,
                $"The transport timed out during {operation}.",
                innerException: e),
            _ => new TlsException(
                TlsErrorKind.Transport,
                $"Transport failure during {operation}: {e.Message} ({e.SocketErrorCode}).",
                innerException: e),
        };
    }
}
