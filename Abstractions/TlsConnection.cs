using System.Net;
using System.Net.Sockets;

namespace Vtls;

/// <summary>
/// The async adapter (DESIGN.md 5): awaitable connect, send, receive and shutdown over a non-blocking
/// <see cref="FilterChain"/>, each with a time budget and a <see cref="CancellationToken"/>.
/// </summary>
/// <remarks>
/// <see cref="ShutdownAsync"/> is graceful: close_notify out, the peer's close_notify in, within the budget.
/// <see cref="Dispose"/> and <see cref="DisposeAsync"/> are close: they never notify. One operation at a time.
/// </remarks>
public sealed class TlsConnection : IDisposable, IAsyncDisposable
{
    private readonly FilterChain _chain;

    /// <summary>Wraps a chain.</summary>
    /// <param name="chain">The chain; the connection owns it.</param>
    /// <param name="handshakeTimeout">The connect budget; default 30 s.</param>
    public TlsConnection(FilterChain chain, TimeSpan? handshakeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>The chain underneath.</summary>
    public FilterChain Chain => _chain;

    /// <summary>The topmost TLS filter, if the chain has one.</summary>
    public TlsFilter? Tls => _chain.Filters.OfType<TlsFilter>().FirstOrDefault();

    /// <summary>The connect budget.</summary>
    public TimeSpan HandshakeTimeout { get; set; }

    /// <summary>
    /// The budget of one <see cref="ReceiveAsync"/>; infinite by default (an idle connection is legitimate), set it
    /// to bound waits on a peer that may never answer.
    /// </summary>
    public TimeSpan ReceiveTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>The budget of one <see cref="SendAsync"/>; infinite by default.</summary>
    public TimeSpan SendTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Prepares a TCP connection to <paramref name="endPoint"/> and wraps it in a TLS client of
    /// <paramref name="backend"/>. The handshake is not run yet: call <see cref="ConnectAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="backend">The TLS backend.</param>
    /// <param name="endPoint">Where to connect.</param>
    /// <param name="options">The TLS options (server name, trust, ...).</param>
    public static TlsConnection CreateClient(ITlsBackend backend, EndPoint endPoint, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        var tcp = new TcpSocketFilter(endPoint, options.LoggerFactory?.CreateLogger("Vtls.Tcp"));
        return Wrap(backend.CreateClient(tcp, options), options);
    }

    /// <summary>Wraps an accepted socket in a TLS server of <paramref name="backend"/>.</summary>
    /// <param name="backend">The TLS backend.</param>
    /// <param name="accepted">A connected socket; the connection owns it.</param>
    /// <param name="options">The TLS options, with the server certificate.</param>
    public static TlsConnection CreateServer(ITlsBackend backend, Socket accepted, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        var tcp = new TcpSocketFilter(accepted, options.LoggerFactory?.CreateLogger("Vtls.Tcp"));
        return Wrap(backend.CreateServer(tcp, options), options);
    }

    /// <summary>Wraps a filter in a chain whose budget and clock come from <paramref name="options"/>.</summary>
    /// <param name="top">The top filter.</param>
    /// <param name="options">Budgets, clock and logger.</param>
    public static TlsConnection Wrap(ConnectionFilter top, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chain = new FilterChain(
            top,
            options.ShutdownTimeout,
            options.TimeProvider,
            options.LoggerFactory?.CreateLogger("Vtls.Chain"));
        return new TlsConnection(chain, options.HandshakeTimeout);
    }

    /// <summary>Runs the handshake to completion within <see cref="HandshakeTimeout"/>.</summary>
    /// <param name="cancellationToken">Cancels the handshake; the connection is then closed.</param>
    /// <exception cref="TlsException">The handshake failed or timed out; the connection is closed.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        using var budget = Budget(HandshakeTimeout, cancellationToken);
        try
        {
            while (_chain.Connect() == Progress.WouldBlock)
            {
                await _chain.WaitAsync(budget.Token).ConfigureAwait(false);
                budget.ThrowIfExpiredOrCancelled();
            }
        }
        catch (OperationCanceledException) when (budget.IsExpired && !cancellationToken.IsCancellationRequested)
        {
            _chain.Close();
            throw new TlsException(
                TlsErrorKind.Timeout,
                $"The handshake did not complete within {HandshakeTimeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            _chain.Close();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="data"/> and flushes it to the transport.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        using var budget = Budget(SendTimeout, cancellationToken);
        try
        {
            while (!data.IsEmpty)
            {
                var result = _chain.Send(data.Span);
                if (result.IsWouldBlock)
                {
                    await _chain.WaitAsync(budget.Token).ConfigureAwait(false);
                    budget.ThrowIfExpiredOrCancelled();
                    continue;
                }

                if (result.Status != IoStatus.Completed || result.Count <= 0)
                {
                    // A filter that takes nothing without would-block breaks the contract; retrying would spin.
                    throw new InvalidOperationException(
                        $"{_chain.Top.Name}: send returned {result} for {data.Length} bytes.");
                }

                data = data[result.Count..];
            }

            // Taken is not sent: a filter may hold ciphertext the transport refused. Push it out, so that a caller
            // who now waits for the answer is not waiting on bytes still queued here.
            while (_chain.Flush() == Progress.WouldBlock)
            {
                await _chain.WaitAsync(budget.Token).ConfigureAwait(false);
                budget.ThrowIfExpiredOrCancelled();
            }
        }
        catch (OperationCanceledException) when (budget.IsExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TlsException(
                TlsErrorKind.Timeout,
                $"The send did not complete within {SendTimeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>Receives application data.</summary>
    /// <param name="buffer">Where to put it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The byte count; 0 only after the peer's close_notify.</returns>
    /// <exception cref="TlsException">Truncation, an alert, a reset, a timeout.</exception>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var budget = Budget(ReceiveTimeout, cancellationToken);
        try
        {
            while (true)
            {
                var result = _chain.Receive(buffer.Span);
                if (!result.IsWouldBlock)
                {
                    return result.Count;
                }

                await _chain.WaitAsync(budget.Token).ConfigureAwait(false);
                budget.ThrowIfExpiredOrCancelled();
            }
        }
        catch (OperationCanceledException) when (budget.IsExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TlsException(
                TlsErrorKind.Timeout,
                $"No data arrived within {ReceiveTimeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>
    /// Shuts down gracefully: sends close_notify once and waits for the peer's, within the chain's shutdown budget
    /// (or <paramref name="timeout"/>, whichever ends first). On expiry the connection is closed and nothing more
    /// is sent.
    /// </summary>
    /// <param name="timeout">A tighter budget for this call, or <see langword="null"/> for the chain's.</param>
    /// <param name="cancellationToken">Cancels the wait; the connection is then closed.</param>
    /// <exception cref="TlsException">
    /// <see cref="TlsErrorKind.Timeout"/>, <see cref="TlsErrorKind.Truncated"/>,
    /// <see cref="TlsErrorKind.TransportReset"/> or the connection's earlier failure. The connection is closed in
    /// every such case.
    /// </exception>
    public async Task ShutdownAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (_chain.Shutdown() == Progress.Done)
        {
            return;
        }

        var left = _chain.ShutdownTimeLeft;
        if (timeout is { } tighter && tighter < left)
        {
            left = tighter;
        }

        // The step that sent close_notify read nothing (for half-closing drivers); this driver does not receive, so
        // the next step, at once, reads and discards what is already here before any wait for more.
        if (_chain.Shutdown() == Progress.Done)
        {
            return;
        }

        using var budget = Budget(left, cancellationToken);
        try
        {
            do
            {
                await _chain.WaitAsync(budget.Token).ConfigureAwait(false);
                budget.ThrowIfExpiredOrCancelled();
            }
            while (_chain.Shutdown() == Progress.WouldBlock);
        }
        catch (OperationCanceledException) when (budget.IsExpired && !cancellationToken.IsCancellationRequested)
        {
            _chain.Close();
            throw new TlsException(
                TlsErrorKind.Timeout,
                $"The peer did not answer close_notify within {left.TotalSeconds:0.###} s; " +
                "the connection was closed without waiting longer.");
        }
        catch (OperationCanceledException)
        {
            _chain.Close();
            throw;
        }
    }

    /// <summary>Closes at once; never notifies.</summary>
    public void Close() => _chain.Close();

    /// <inheritdoc/>
    public void Dispose() => _chain.Close();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _chain.Close();
        return ValueTask.CompletedTask;
    }

    private Deadline Budget(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(timeout, _chain.TimeProvider, cancellationToken);

    /// <summary>A cancellation source that fires at a deadline on the chain's clock (fakeable in tests).</summary>
    private sealed class Deadline : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _source;
        private readonly ITimer? _timer;
        private bool _expired;
        private bool _disposed;

        public Deadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timer = time.CreateTimer(
                    static state => ((Deadline)state!).Expire(),
                    this,
                    timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout,
                    Timeout.InfiniteTimeSpan);
            }
        }

        public CancellationToken Token => _source.Token;

        /// <summary>Whether the deadline passed (as opposed to the caller cancelling).</summary>
        public bool IsExpired
        {
            get
            {
                lock (_gate)
                {
                    return _expired;
                }
            }
        }

        /// <summary>
        /// Stops a retry loop once the deadline passed, even if the filter's wait ignored the token and returned.
        /// </summary>
        public void ThrowIfExpiredOrCancelled() => _source.Token.ThrowIfCancellationRequested();

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
            }

            _timer?.Dispose();
            _source.Dispose();
        }

        private void Expire()
        {
            // This runs on the clock's thread: a timer thread, or whoever advances a fake clock. Disposing a timer
            // does not wait for a callback already running, so the gate keeps the source alive until the cancel
            // is requested; and cancelling asynchronously keeps the awaiting operation off the clock's thread.
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _expired = true;
                _ = _source.CancelAsync();
            }
        }
    }
}
