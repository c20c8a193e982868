using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtls;

/// <summary>
/// One filter of a connection chain (curl's connection filter): a TLS layer, a socket, a proxy tunnel.
/// Every operation is non-blocking: "cannot proceed now" is a status, never a wait and never an exception.
/// </summary>
/// <remarks>
/// <para>
/// The public operations enforce the rules that hold for every filter, so that an implementation only
/// writes the <c>...Core</c> methods:
/// </para>
/// <list type="bullet">
/// <item><see cref="Connect"/> drives the filter below first, then this one.</item>
/// <item><see cref="Send"/> and <see cref="Receive"/> before the connection is up, or <see cref="Send"/>
/// after <see cref="Shutdown"/> started, are <see cref="TlsErrorKind.Misuse"/> errors and move nothing.</item>
/// <item>Once <see cref="Receive"/> reported <see cref="IoStatus.EndOfStream"/>, it reports it again on every
/// later call without asking the implementation.</item>
/// <item><see cref="Shutdown"/> of a filter that is not connected, or already shut down, is done at once and
/// does nothing.</item>
/// <item>The first fatal error is kept: every later operation but <see cref="Close"/> rethrows it, and
/// <see cref="Shutdown"/> after it sends nothing.</item>
/// <item><see cref="Close"/> releases this filter and every filter below it, at once; it MUST NOT send
/// close_notify or any alert. <see cref="Dispose"/> is <see cref="Close"/>.</item>
/// </list>
/// <para>Implementers: a filter is driven by one caller at a time; it is not thread-safe.</para>
/// </remarks>
public abstract class ConnectionFilter : IDisposable
{
    private ExceptionDispatchInfo? _fatal;
    private bool _shutdownStarted;
    private bool _endOfStream;
    private bool _closed;

    /// <summary>Creates a filter over <paramref name="next"/>.</summary>
    /// <param name="name">A short name for traces, for example <c>tls:sslstream</c> or <c>tcp</c>.</param>
    /// <param name="next">The filter below, or <see langword="null"/> for the bottom (transport) filter.</param>
    /// <param name="logger">Where the filter traces its steps; <see langword="null"/> for none.</param>
    protected ConnectionFilter(string name, ConnectionFilter? next, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Next = next;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The filter's name in traces.</summary>
    public string Name { get; }

    /// <summary>The filter below this one, or <see langword="null"/> at the bottom.</summary>
    public ConnectionFilter? Next { get; }

    /// <summary>Whether this filter's own connect (its handshake, for TLS) completed.</summary>
    public bool IsConnected { get; protected set; }

    /// <summary>Whether this filter's graceful shutdown completed.</summary>
    public bool IsShutDown { get; private set; }

    /// <summary>Whether <see cref="Shutdown"/> was called on this filter while it was connected.</summary>
    public bool IsShutdownStarted => _shutdownStarted;

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed => _closed;

    /// <summary>The first fatal error of this filter, or <see langword="null"/>.</summary>
    public Exception? FatalError => _fatal?.SourceException;

    /// <summary>
    /// What the filter waits for after its last operation reported would-block (curl's <c>io_need</c>).
    /// Implementations MUST set it whenever they report would-block.
    /// </summary>
    public IoInterest Interest { get; protected set; }

    /// <summary>
    /// Whether the filter may hold input that a <see cref="Receive"/> can return without transport I/O. A poll
    /// loop MUST NOT wait for readability while this is true. It may be conservatively true (a backend that cannot
    /// see inside its TLS library says true until a receive reports would-block); it MUST NOT be false while such
    /// input is held, or a poll loop waits forever on data already here.
    /// </summary>
    public virtual bool HasBufferedInput => Next?.HasBufferedInput ?? false;

    /// <summary>
    /// Whether this filter, or one below it, holds output it took but has not yet passed on (ciphertext queued
    /// when the transport would-blocked). A driver MUST <see cref="Flush"/> before it waits for the peer's answer.
    /// </summary>
    public virtual bool HasPendingOutput => Next?.HasPendingOutput ?? false;

    /// <summary>
    /// The socket at the bottom of the chain, for poll and event loops; <see langword="null"/> if none.
    /// </summary>
    public virtual Socket? Socket => Next?.Socket;

    /// <summary>The trace sink.</summary>
    protected ILogger Logger { get; }

    /// <summary>
    /// Advances the connection: first the filter below, then this filter's own handshake.
    /// </summary>
    /// <returns><see cref="Progress.Done"/> once connected; <see cref="Progress.WouldBlock"/> otherwise.</returns>
    /// <exception cref="TlsException">The connection failed; the error is kept and rethrown later.</exception>
    public Progress Connect()
    {
        ThrowIfClosedOrFailed();
        if (IsConnected)
        {
            return Progress.Done;
        }

        return Guard(() =>
        {
            if (Next is { IsConnected: false })
            {
                if (Next.Connect() == Progress.WouldBlock)
                {
                    Interest = Next.Interest;
                    return Progress.WouldBlock;
                }
            }

            var progress = ConnectCore();
            FilterLog.Step(Logger, Name, "connect", progress, Interest);
            return progress;
        });
    }

    /// <summary>Sends application data; partial sends are allowed.</summary>
    /// <param name="data">The bytes to send.</param>
    /// <returns>How many bytes were taken, or would-block. Never end-of-stream.</returns>
    /// <exception cref="TlsException">Misuse (not connected, shutdown started) or a fatal failure.</exception>
    public IoResult Send(ReadOnlySpan<byte> data)
    {
        ThrowIfClosedOrFailed();
        if (!IsConnected)
        {
            throw TlsException.Misuse($"{Name}: send before the connection is established; connect first.");
        }

        if (_shutdownStarted)
        {
            throw TlsException.Misuse(
                $"{Name}: send after shutdown started; close_notify was sent, so no more data may follow.");
        }

        if (data.IsEmpty)
        {
            return new IoResult(IoStatus.Completed, 0);
        }

        try
        {
            return SendCore(data);
        }
        catch (TlsException e) when (e.Kind != TlsErrorKind.Misuse)
        {
            throw Fail(e);
        }
    }

    /// <summary>
    /// Pushes out output that this filter and the filters below took but could not yet pass on. A send reports bytes
    /// as taken once the filter owns them; only a completed flush says they have reached the transport.
    /// </summary>
    /// <returns>
    /// <see cref="Progress.Done"/> when nothing is left; <see cref="Progress.WouldBlock"/> otherwise.
    /// </returns>
    /// <exception cref="TlsException">A transport failure while flushing.</exception>
    public Progress Flush()
    {
        ThrowIfClosedOrFailed();
        if (!IsConnected)
        {
            return Progress.Done;
        }

        return Guard(() =>
        {
            if (FlushCore() == Progress.WouldBlock)
            {
                return Progress.WouldBlock;
            }

            if (Next is not null && Next.Flush() == Progress.WouldBlock)
            {
                Interest = Next.Interest;
                return Progress.WouldBlock;
            }

            return Progress.Done;
        });
    }

    /// <summary>Receives application data.</summary>
    /// <param name="buffer">Where to put it; must not be empty.</param>
    /// <returns>
    /// Bytes received; <see cref="IoStatus.EndOfStream"/> only after the peer's close_notify (and on every later
    /// call); or would-block.
    /// </returns>
    /// <exception cref="TlsException">Truncation, a received alert, a reset, or another fatal failure.</exception>
    public IoResult Receive(Span<byte> buffer)
    {
        ThrowIfClosedOrFailed();
        if (!IsConnected)
        {
            throw TlsException.Misuse($"{Name}: receive before the connection is established; connect first.");
        }

        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The receive buffer must not be empty.", nameof(buffer));
        }

        if (_endOfStream)
        {
            return IoResult.EndOfStream;
        }

        try
        {
            var result = ReceiveCore(buffer);
            if (result.IsEndOfStream)
            {
                _endOfStream = true;
                FilterLog.EndOfStream(Logger, Name);
            }

            return result;
        }
        catch (TlsException e) when (e.Kind != TlsErrorKind.Misuse)
        {
            throw Fail(e);
        }
    }

    /// <summary>
    /// Shuts this filter down gracefully: for TLS, sends close_notify once and reads until the peer's.
    /// Resumable: call again after would-block until done.
    /// </summary>
    /// <returns><see cref="Progress.Done"/> when finished; <see cref="Progress.WouldBlock"/> otherwise.</returns>
    /// <exception cref="TlsException">
    /// Truncation (EOF without the peer's close_notify), reset, or the filter's earlier fatal error (in which case
    /// nothing is sent).
    /// </exception>
    public Progress Shutdown()
    {
        ThrowIfClosedOrFailed();
        if (!IsConnected || IsShutDown)
        {
            return Progress.Done;
        }

        _shutdownStarted = true;
        return Guard(() =>
        {
            var progress = ShutdownCore();
            if (progress == Progress.Done)
            {
                IsShutDown = true;
                Interest = IoInterest.None;
            }

            FilterLog.Step(Logger, Name, "shutdown", progress, Interest);
            return progress;
        });
    }

    /// <summary>
    /// Releases this filter and every filter below it at once. Sends nothing: no close_notify, no alert.
    /// Safe to call more than once.
    /// </summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Interest = IoInterest.None;
        try
        {
            CloseCore();
            FilterLog.Closed(Logger, Name);
        }
        finally
        {
            Next?.Close();
        }
    }

    /// <summary>Closes the filter: the same as <see cref="Close"/>; it never notifies the peer.</summary>
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Waits until the transport can satisfy <paramref name="interest"/> (or has failed, which the next operation
    /// reports). Drivers call it after would-block; it never changes the filter's state.
    /// </summary>
    /// <param name="interest">What to wait for; usually <see cref="Interest"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    public virtual ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken)
    {
        if (Next is null)
        {
            throw new NotSupportedException($"{Name} is a bottom filter and must implement WaitAsync.");
        }

        return Next.WaitAsync(interest, cancellationToken);
    }

    /// <summary>This filter's own connect step; the filter below is already connected.</summary>
    /// <returns>Done, setting <see cref="IsConnected"/>; or would-block, setting <see cref="Interest"/>.</returns>
    protected abstract Progress ConnectCore();

    /// <summary>Sends a non-empty span; the filter is connected and not shutting down.</summary>
    /// <param name="data">The bytes.</param>
    protected abstract IoResult SendCore(ReadOnlySpan<byte> data);

    /// <summary>Receives into a non-empty buffer; the filter is connected and has not seen end-of-stream.</summary>
    /// <param name="buffer">The buffer.</param>
    protected abstract IoResult ReceiveCore(Span<byte> buffer);

    /// <summary>One step of the graceful shutdown; the filter is connected and not yet shut down.</summary>
    /// <returns>Done, or would-block with <see cref="Interest"/> set.</returns>
    protected abstract Progress ShutdownCore();

    /// <summary>
    /// Passes on output this filter holds, to the filter below. Filters that queue output MUST override it and set
    /// <see cref="Interest"/> when they report would-block; the default has nothing to flush.
    /// </summary>
    protected virtual Progress FlushCore() => Progress.Done;

    /// <summary>Releases this filter's resources. MUST NOT send anything.</summary>
    protected abstract void CloseCore();

    /// <summary>Records <paramref name="error"/> as this filter's fatal error, unless one is already kept.</summary>
    /// <param name="error">The failure.</param>
    /// <returns>The error to throw: the first one kept.</returns>
    protected TlsException Fail(TlsException error)
    {
        if (_fatal is null)
        {
            _fatal = ExceptionDispatchInfo.Capture(error);
            FilterLog.Failed(Logger, Name, error.Kind, error.Message);
        }

        return (TlsException)_fatal.SourceException;
    }

    private Progress Guard(Func<Progress> step)
    {
        try
        {
            return step();
        }
        catch (TlsException e) when (e.Kind != TlsErrorKind.Misuse)
        {
            throw Fail(e);
        }
    }

    private void ThrowIfClosedOrFailed()
    {
        _fatal?.Throw();
        if (_closed)
        {
            throw TlsException.Misuse($"{Name}: the connection is closed.");
        }
    }
}
