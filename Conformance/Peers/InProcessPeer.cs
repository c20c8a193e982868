namespace Vtls.Conformance.Peers;

/// <summary>A registered backend, driven in this process through the async adapter, as the peer.</summary>
/// <remarks>
/// Filters are not thread-safe, so every operation here is sequential; a graceful close started by
/// <see cref="BeginCloseAsync"/> runs in the background and <see cref="WaitForEndAsync"/> awaits it.
/// </remarks>
internal sealed class InProcessPeer : PeerSession
{
    private const int ChunkSize = 16 * 1024;
    private readonly TlsConnection _connection;
    private readonly List<byte> _received = [];
    private readonly object _gate = new();
    private int _count;
    private Task? _closing;
    private PeerEnd? _end;

    public InProcessPeer(TlsConnection connection, string backendName)
    {
        _connection = connection;
        Name = backendName;
    }

    public override string Name { get; }

    public TlsConnection Connection => _connection;

    public override byte[] Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToArray();
            }
        }
    }

    public override async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var chunk = data[..Math.Min(ChunkSize, data.Length)];
            await _connection.SendAsync(chunk, cancellationToken).ConfigureAwait(false);
            data = data[chunk.Length..];
        }
    }

    public override async Task<byte[]> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);
        var buffer = new byte[ChunkSize];
        try
        {
            while (Volatile.Read(ref _count) < count && _end is null)
            {
                int n = await _connection.ReceiveAsync(buffer, budget.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    _end = new PeerEnd(PeerObservation.CleanClose, "close_notify received");
                    break;
                }

                Append(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Out of time: the caller compares what arrived with what it expected.
        }
        catch (TlsException e)
        {
            _end = Describe(e);
        }

        return Received;
    }

    public override Task BeginCloseAsync(CancellationToken cancellationToken)
    {
        _closing = _connection.ShutdownAsync(cancellationToken: cancellationToken);
        return Task.CompletedTask;
    }

    public override Task AbortAsync()
    {
        _connection.Close();
        return Task.CompletedTask;
    }

    public override async Task<PeerEnd> WaitForEndAsync(
        TimeSpan timeout,
        CancellationToken cancellationToken,
        ReadOnlyMemory<byte> lateData = default)
    {
        if (_closing is not null)
        {
            return await AwaitOwnCloseAsync(timeout).ConfigureAwait(false);
        }

        if (_end is null)
        {
            await ReceiveAsync(int.MaxValue, timeout, cancellationToken).ConfigureAwait(false);
        }

        if (_end is null)
        {
            return new PeerEnd(PeerObservation.Unknown, $"the stream did not end within {timeout.TotalSeconds:0.#} s");
        }

        if (_end.Observation == PeerObservation.CleanClose)
        {
            await AnswerAsync(lateData, cancellationToken).ConfigureAwait(false);
        }

        return _end;
    }

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<PeerEnd> AwaitOwnCloseAsync(TimeSpan timeout)
    {
        var closing = _closing!;
        if (await Task.WhenAny(closing, Task.Delay(timeout)).ConfigureAwait(false) != closing)
        {
            return new PeerEnd(PeerObservation.Unknown, "its own shutdown did not finish in time");
        }

        try
        {
            await closing.ConfigureAwait(false);
            return new PeerEnd(PeerObservation.CleanClose, "its shutdown completed: the answer close_notify arrived");
        }
        catch (TlsException e)
        {
            return Describe(e);
        }
    }

    // The answer to the backend's close_notify: optional late data first (S04), then close_notify.
    private async Task AnswerAsync(ReadOnlyMemory<byte> lateData, CancellationToken cancellationToken)
    {
        try
        {
            if (!lateData.IsEmpty)
            {
                await SendAsync(lateData, cancellationToken).ConfigureAwait(false);
            }

            await _connection.ShutdownAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (TlsException e) when (e.Kind == TlsErrorKind.Misuse && !lateData.IsEmpty)
        {
            _end = _end! with { LateDataRefused = $"{Name} refuses to send after receiving close_notify: {e.Message}" };
        }
        catch (TlsException e)
        {
            _end = _end! with { Detail = $"{_end.Detail}; its answer failed: {e.Kind}: {e.Message}" };
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _received.AddRange(bytes.ToArray());
            _count = _received.Count;
        }
    }

    private static PeerEnd Describe(TlsException e)
    {
        var observation = e.Kind switch
        {
            TlsErrorKind.Truncated => PeerObservation.Truncated,
            TlsErrorKind.AlertReceived => PeerObservation.AlertReceived,
            TlsErrorKind.TransportReset => PeerObservation.Reset,
            TlsErrorKind.Certificate => PeerObservation.CertificateRejected,
            TlsErrorKind.Handshake => PeerObservation.HandshakeFailed,
            _ => PeerObservation.Error,
        };
        return new PeerEnd(observation, $"{e.Kind}: {e.Message}");
    }
}
