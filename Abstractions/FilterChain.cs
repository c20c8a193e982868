using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtls;

/// <summary>
/// A connection: a chain of filters driven from the top, for example <c>TLS -> TLS (proxy) -> TCP</c>.
/// Non-blocking, like its filters. Shutdown runs top to bottom under one time budget (DESIGN.md 2, shutdown
/// rules 1 and 7).
/// </summary>
public sealed class FilterChain : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _shutdownStartedAt;
    private bool _shutdownStarted;

    /// <summary>Creates a chain whose top filter is <paramref name="top"/>.</summary>
    /// <param name="top">The top filter; the chain owns it and every filter below.</param>
    /// <param name="shutdownBudget">The shutdown's time budget; default 2 s.</param>
    /// <param name="timeProvider">The clock for the budget; default the system's.</param>
    /// <param name="logger">Trace sink.</param>
    public FilterChain(
        ConnectionFilter top,
        TimeSpan? shutdownBudget = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(top);
        Top = top;
        ShutdownBudget = shutdownBudget ?? TimeSpan.FromSeconds(2);
        if (ShutdownBudget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(shutdownBudget),
                "The shutdown budget must be positive.");
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The top filter.</summary>
    public ConnectionFilter Top { get; }

    /// <summary>The filters, top to bottom.</summary>
    public IEnumerable<ConnectionFilter> Filters
    {
        get
        {
            for (var f = Top; f is not null; f = f.Next)
            {
                yield return f;
            }
        }
    }

    /// <summary>The shutdown's time budget, counted from the first <see cref="Shutdown"/> call.</summary>
    public TimeSpan ShutdownBudget { get; }

    /// <summary>The clock the budget is measured with.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Whether the whole chain is connected.</summary>
    public bool IsConnected => Top.IsConnected;

    /// <summary>Whether the chain's shutdown completed.</summary>
    public bool IsShutDown { get; private set; }

    /// <summary>Whether the chain was closed.</summary>
    public bool IsClosed => Top.IsClosed;

    /// <summary>Whether <see cref="Shutdown"/> has been called.</summary>
    public bool IsShutdownStarted => _shutdownStarted;

    /// <summary>What the chain waits for, after its last would-block.</summary>
    public IoInterest Interest { get; private set; }

    /// <summary>The time left of the shutdown budget; the whole budget before shutdown starts.</summary>
    public TimeSpan ShutdownTimeLeft => _shutdownStarted
        ? ShutdownBudget - _time.GetElapsedTime(_shutdownStartedAt)
        : ShutdownBudget;

    /// <summary>Advances the connection (every filter, bottom first).</summary>
    public Progress Connect() => Track(Top.Connect(), Top);

    /// <summary>Sends application data through the top filter.</summary>
    /// <param name="data">The bytes.</param>
    public IoResult Send(ReadOnlySpan<byte> data)
    {
        var result = Top.Send(data);
        Interest = result.IsWouldBlock ? Top.Interest : IoInterest.None;
        return result;
    }

    /// <summary>Pushes out output the filters took but have not yet passed on.</summary>
    public Progress Flush() => Track(Top.Flush(), Top);

    /// <summary>Receives application data from the top filter.</summary>
    /// <param name="buffer">The buffer.</param>
    public IoResult Receive(Span<byte> buffer)
    {
        var result = Top.Receive(buffer);
        Interest = result.IsWouldBlock ? Top.Interest : IoInterest.None;
        return result;
    }

    /// <summary>
    /// One step of the graceful shutdown of every filter, top to bottom. A filter that never connected or is
    /// already shut down is skipped. Once the budget is spent the chain is closed and this throws
    /// <see cref="TlsErrorKind.Timeout"/>; any other failure also closes the chain before it is thrown.
    /// </summary>
    public Progress Shutdown()
    {
        if (IsShutDown)
        {
            return Progress.Done;
        }

        if (!_shutdownStarted)
        {
            _shutdownStarted = true;
            _shutdownStartedAt = _time.GetTimestamp();
        }

        ThrowIfBudgetSpent();
        ThrowIfClosed();
        try
        {
            foreach (var filter in Filters)
            {
                if (!filter.IsConnected || filter.IsShutDown)
                {
                    var reason = filter.IsShutDown ? "already shut down" : "not connected";
                    FilterLog.ShutdownSkipped(_logger, filter.Name, reason);
                    continue;
                }

                if (filter.Shutdown() == Progress.WouldBlock)
                {
                    return Track(Progress.WouldBlock, filter);
                }
            }
        }
        catch (Exception)
        {
            // Whatever the failure (a provider may throw outside the TlsException family), the chain is closed.
            Close();
            throw;
        }

        IsShutDown = true;
        Interest = IoInterest.None;
        FilterLog.ShutdownComplete(_logger);
        return Progress.Done;
    }

    /// <summary>
    /// Ends the shutdown because its budget is spent: closes the chain (which sends nothing) and throws
    /// <see cref="TlsErrorKind.Timeout"/> if the shutdown had not completed. Drivers call it when their timer
    /// fires.
    /// </summary>
    public void ThrowIfBudgetSpent()
    {
        if (!_shutdownStarted || IsShutDown || ShutdownTimeLeft > TimeSpan.Zero)
        {
            return;
        }

        FilterLog.ShutdownBudgetExpired(_logger, ShutdownBudget);
        Close();
        throw new TlsException(
            TlsErrorKind.Timeout,
            $"The peer did not answer close_notify within the shutdown budget of " +
            $"{ShutdownBudget.TotalSeconds:0.###} s; the connection was closed without waiting longer.");
    }

    /// <summary>Waits until the chain can make progress on its last would-block.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        // A would-block without a stated interest would make a driver spin; waiting for input is the safe reading.
        var interest = Interest == IoInterest.None ? IoInterest.Read : Interest;
        return Top.WaitAsync(interest, cancellationToken);
    }

    /// <summary>
    /// A closed chain cannot shut down. Report why it was closed: the first fatal error of its filters (a failed
    /// handshake, say), not that some filter below happens to be closed.
    /// </summary>
    private void ThrowIfClosed()
    {
        if (!Top.IsClosed)
        {
            return;
        }

        var failure = Filters.Select(f => f.FatalError).OfType<TlsException>().FirstOrDefault();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        throw TlsException.Misuse("The connection is closed: a graceful shutdown must come before close, not after.");
    }

    /// <summary>Closes every filter at once. Sends nothing.</summary>
    public void Close() => Top.Close();

    /// <summary>The same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    private Progress Track(Progress progress, ConnectionFilter filter)
    {
        Interest = progress == Progress.WouldBlock ? filter.Interest : IoInterest.None;
        return progress;
    }
}
