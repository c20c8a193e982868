namespace Vtls.Cli.Sessions;

/// <summary>
/// Drives one established TLS connection in both directions at once, the way <c>openssl s_client</c> does:
/// input goes out, what arrives goes to the output (or back, with echo), and the end is graceful (close_notify
/// out, the peer's in, within the shutdown budget) or an abort (close, nothing sent).
/// </summary>
/// <remarks>
/// The filters are not thread-safe, so one loop makes every call on the chain; standard input is read on its own
/// task (<see cref="InputPump"/>) and the loop waits for the socket and the input together.
/// </remarks>
internal sealed class TlsSession
{
    private const int BufferSize = 16 * 1024;

    // Echo stops reading once this much waits to be sent back, so a peer that never reads cannot fill memory.
    private const int MaxQueuedBytes = 1 << 20;

    private readonly FilterChain _chain;
    private readonly TlsFilter? _tls;
    private readonly SessionSettings _settings;
    private readonly InputPump? _input;
    private readonly Stream _output;
    private readonly CliContext _context;
    private readonly Queue<ReadOnlyMemory<byte>> _outgoing = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _queuedBytes;
    private int _headOffset;
    private bool _peerEnded;
    private bool _ending;
    private bool _aborted;

    /// <summary>Creates a session over a connected <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection, after its handshake.</param>
    /// <param name="settings">Echo or pipe, and how to end.</param>
    /// <param name="input">What to send, or <see langword="null"/> (echo).</param>
    /// <param name="output">Where received data goes (unused with echo).</param>
    /// <param name="context">Where status lines go.</param>
    public TlsSession(
        TlsConnection connection,
        SessionSettings settings,
        InputPump? input,
        Stream output,
        CliContext context)
    {
        _chain = connection.Chain;
        _tls = connection.Tls;
        _settings = settings;
        _input = settings.Echo ? null : input;
        _output = output;
        _context = context;
    }

    private enum StepKind
    {
        Again,
        Received,
        Wait,
        Finished,
    }

    /// <summary>What the loop does next: deliver received bytes, wait (for what), go again, or stop.</summary>
    private readonly record struct Step(
        StepKind Kind,
        int Count = 0,
        IoInterest Want = IoInterest.None,
        bool WaitForInput = false);

    // With half-close, receive keeps running during the shutdown; it runs before each shutdown step, so what the
    // peer sent before it saw our close_notify is delivered rather than drained.
    private bool ShouldReceive =>
        !_peerEnded && _queuedBytes < MaxQueuedBytes && (!_ending || _settings.ReceiveWhileShuttingDown);

    // Half-close: our close_notify is out and the peer's data is still read and delivered until its close_notify.
    // Until then only receive is driven, because the shutdown step would read and discard that data.
    private bool IsHalfClosed => _settings.ReceiveWhileShuttingDown && _tls is { IsCloseNotifySent: true };

    private bool IsTimeToEnd =>
        _outgoing.Count == 0
        && (_peerEnded || (_settings.EndAtEndOfInput && (_input is null || _input.IsDrained)));

    /// <summary>Runs the session to its end. The connection is closed when this returns.</summary>
    /// <param name="cancellationToken">Interrupts the session (Ctrl-C): the connection is closed, nothing sent.</param>
    /// <returns>How it ended; failures are in <see cref="SessionResult.Error"/>, not thrown.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<SessionResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = Advance();
                switch (step.Kind)
                {
                    case StepKind.Received:
                        await DeliverAsync(step.Count, cancellationToken).ConfigureAwait(false);
                        break;
                    case StepKind.Wait:
                        await WaitAsync(step, cancellationToken).ConfigureAwait(false);
                        break;
                    case StepKind.Finished:
                        return new SessionResult(CloseNotifyReceived, _aborted, null);
                }
            }
        }
        catch (TlsException e)
        {
            return new SessionResult(CloseNotifyReceived, _aborted, e);
        }
        catch (IOException e)
        {
            // Standard output went away (a closed pipe): the session cannot deliver any more.
            return new SessionResult(CloseNotifyReceived, _aborted, e);
        }
        finally
        {
            _chain.Close();
        }
    }

    private bool CloseNotifyReceived => _peerEnded || _tls?.IsCloseNotifyReceived == true;

    /// <summary>Every non-blocking step that can happen now, in order: receive, send, end.</summary>
    private Step Advance()
    {
        var want = IoInterest.None;
        if (ShouldReceive)
        {
            var received = _chain.Receive(_buffer);
            if (received.Status == IoStatus.Completed)
            {
                return new Step(StepKind.Received, received.Count);
            }

            if (received.IsEndOfStream)
            {
                OnPeerEnded();
                return new Step(StepKind.Again);
            }

            want |= _chain.Interest;
        }

        if (_ending)
        {
            _chain.ThrowIfBudgetSpent();
            if (IsHalfClosed && !_peerEnded)
            {
                return new Step(StepKind.Wait, Want: want);
            }

            if (_chain.Shutdown() == Progress.Done)
            {
                _context.Status("shutdown complete: close_notify sent and the peer's received");
                return new Step(StepKind.Finished);
            }

            return new Step(StepKind.Wait, Want: want | _chain.Interest);
        }

        // Read once, before deciding: the input only ever goes from open to drained, so if it drains after this
        // line the wait below still includes it and wakes at once.
        bool inputOpen = _input is { IsDrained: false };
        TakeInput();
        if (_outgoing.Count > 0)
        {
            var sent = _chain.Send(_outgoing.Peek().Span[_headOffset..]);
            if (!sent.IsWouldBlock)
            {
                Consume(sent.Count);
                return new Step(StepKind.Again);
            }

            return new Step(StepKind.Wait, Want: want | _chain.Interest);
        }

        // Taken is not yet sent: a filter may hold output the transport refused. It goes out before this side
        // waits for the peer, and before an end, so that an abort still delivers everything that was sent.
        if (_chain.Top.HasPendingOutput && _chain.Flush() == Progress.WouldBlock)
        {
            return new Step(StepKind.Wait, Want: want | _chain.Interest);
        }

        if (IsTimeToEnd)
        {
            return BeginEnd();
        }

        return new Step(StepKind.Wait, Want: want, WaitForInput: inputOpen && !_peerEnded);
    }

    private Step BeginEnd()
    {
        string why = _peerEnded ? "the peer ended" : "end of input";
        if (_settings.Abort)
        {
            _chain.Close();
            _aborted = true;
            _context.Status($"{why}: closed without close_notify (--abort)");
            return new Step(StepKind.Finished);
        }

        _ending = true;
        double budget = _chain.ShutdownTimeLeft.TotalSeconds;
        _context.Status(_peerEnded
            ? $"{why}: answering with close_notify"
            : $"{why}: sending close_notify, waiting up to {budget:0.#} s for the peer's");
        return new Step(StepKind.Again);
    }

    private void OnPeerEnded()
    {
        _peerEnded = true;
        _context.Status("close_notify received from the peer");

        // RFC 5246, 7.2.1: "the other party MUST respond with a close_notify alert of its own and close down the
        // connection immediately, discarding any pending writes."
        // https://www.rfc-editor.org/rfc/rfc5246#section-7.2.1
        // TLS 1.3 lets each direction close on its own, so what is queued still goes out there.
        if (_tls?.NegotiatedProtocol == TlsProtocols.Tls12 && _outgoing.Count > 0)
        {
            _context.Status($"TLS 1.2: discarding {_queuedBytes} bytes not yet sent");
            _outgoing.Clear();
            _queuedBytes = 0;
            _headOffset = 0;
        }
    }

    private void TakeInput()
    {
        if (_outgoing.Count == 0 && !_peerEnded && _input is not null && _input.TryTake(out var chunk))
        {
            _outgoing.Enqueue(chunk);
            _queuedBytes += chunk.Length;
        }
    }

    private void Consume(int count)
    {
        _queuedBytes -= count;
        _headOffset += count;
        if (_headOffset == _outgoing.Peek().Length)
        {
            _outgoing.Dequeue();
            _headOffset = 0;
        }
    }

    private async Task DeliverAsync(int count, CancellationToken cancellationToken)
    {
        if (_settings.Echo)
        {
            _outgoing.Enqueue(_buffer.AsSpan(0, count).ToArray());
            _queuedBytes += count;
            return;
        }

        await _output.WriteAsync(_buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitAsync(Step step, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_ending)
        {
            // The chain throws the timeout on the next shutdown step once its budget is spent.
            var left = _chain.ShutdownTimeLeft;
            wake.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        // A would-block that states no interest would make the loop spin; waiting for input is the safe reading.
        var interest = step.Want == IoInterest.None ? IoInterest.Read : step.Want;
        var socket = _chain.Top.WaitAsync(interest, wake.Token).AsTask();
        var input = step.WaitForInput ? _input!.WaitAsync(wake.Token) : null;
        await (input is null ? socket : Task.WhenAny(socket, input)).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        await SettleAsync(socket).ConfigureAwait(false);
        await SettleAsync(input).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task SettleAsync(Task? wait)
    {
        if (wait is null)
        {
            return;
        }

        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Woken by the other wait, or by the shutdown budget: the next step tells which.
        }
    }
}
