using System.Text;

namespace Vtls.Conformance.External;

/// <summary>Stdin, stdout, stderr, observation, exit and disposal.</summary>
public sealed partial class ExternalTlsProcess
{
    // Output keeps stdout only up to this much: it is for messages, and the data can be a mebibyte.
    private const int StdoutTextLimit = 16 * 1024;
    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GenericSettle = TimeSpan.FromMilliseconds(300);

    private readonly object _gate = new();
    private readonly MemoryStream _received = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdoutText = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly Task _exited;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _endedByUs;
    private bool _outputComplete;
    private bool _disposed;

    /// <summary>Everything the tool printed so far: stderr, then the start of stdout.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _stdoutText.Length == 0 ? _stderr.ToString() : $"{_stderr}\n[stdout] {_stdoutText}";
            }
        }
    }

    /// <summary>
    /// The application bytes the tool received from its peer (its stdout: every mode used keeps the tool's own
    /// messages off stdout). Empty for gnutls-serv, which echoes instead of printing.
    /// </summary>
    public byte[] ReceivedData
    {
        get
        {
            lock (_gate)
            {
                return Role == TlsRole.Server && Tool == ExternalTool.GnuTls ? [] : _received.ToArray();
            }
        }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _exited.IsCompleted;

    private string Diagnostics
    {
        get
        {
            lock (_gate)
            {
                // gnutls-serv prints its session description on stdout; the others print only data there.
                bool withStdout = Tool == ExternalTool.GnuTls && Role == TlsRole.Server;
                return withStdout ? $"{_stderr}\n{_stdoutText}" : _stderr.ToString();
            }
        }
    }

    /// <summary>Writes <paramref name="data"/> to the tool's stdin: it sends it as application data.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Ends the write.</param>
    /// <exception cref="NotSupportedException">gnutls-serv, which reads no stdin.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!CanSend)
        {
            throw new NotSupportedException("gnutls-serv reads no stdin: it can only echo what it receives.");
        }

        var stdin = _process.StandardInput.BaseStream;
        await stdin.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the tool's stdin: each tool then sends close_notify and FIN, and s_client and s_server exit without
    /// waiting for the answer (measured; pinned in tests). For a close without close_notify use
    /// <see cref="AbortAsync"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">gnutls-serv, which reads no stdin.</exception>
    public Task CloseInputAsync()
    {
        if (!CanCloseInput)
        {
            throw new NotSupportedException("gnutls-serv reads no stdin: closing it does not end the connection.");
        }

        lock (_gate)
        {
            // Whatever the process does from now on, we asked for it: its exit says nothing about the peer.
            _endedByUs = true;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone (broken pipe): the input is closed either way.
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits until the output shows how the connection ended, as the tool observed it, or the timeout passes
    /// (then <see cref="ExternalObservation.None"/>).
    /// </summary>
    /// <param name="timeout">The bound.</param>
    public async Task<ExternalObservation> WaitForObservationAsync(TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            bool outputComplete;
            lock (_gate)
            {
                changed = _changed.Task;
                outputComplete = _outputComplete;
            }

            var seen = ExternalOutputParser.Parse(Tool, Diagnostics, outputComplete && !EndedByUs);
            bool specific = seen != ExternalObservation.None && !ExternalOutputParser.IsGeneric(seen);
            if (specific || outputComplete)
            {
                return seen;
            }

            try
            {
                // A generic failure waits for the output to go quiet: the specific reason may still be coming.
                var wait = seen == ExternalObservation.None
                    ? changed.WaitAsync(bound.Token)
                    : changed.WaitAsync(GenericSettle, bound.Token);
                await wait.ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return seen;
            }
            catch (OperationCanceledException)
            {
                return ExternalOutputParser.Parse(Tool, Diagnostics, exitedOnItsOwn: false);
            }
        }
    }

    /// <summary>Waits for the process to exit; its exit code, or <see langword="null"/> after the timeout.</summary>
    /// <param name="timeout">The bound.</param>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.WaitAsync(timeout).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Ends the connection without any TLS alert: kills the process, so its kernel closes the socket (FIN, or RST
    /// if bytes sent to it were still unread). Works for every tool and role.
    /// </summary>
    public async Task AbortAsync()
    {
        lock (_gate)
        {
            _endedByUs = true;
        }

        Kill();
        await WaitForExitAsync(DisposeBound).ConfigureAwait(false);
    }

    /// <summary>Kills the process tree (if it still runs) and waits for it and its output, bounded.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _endedByUs = true;
        }

        Kill();
        try
        {
            await Task.WhenAll(_exited, _stdoutPump, _stderrPump).WaitAsync(DisposeBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed; its pipes close when the kernel reaps it. Nothing left that we own is running.
        }

        _process.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Tool} {Role}{(Port is int p ? $" :{p}" : "")}";

    private bool EndedByUs
    {
        get
        {
            lock (_gate)
            {
                return _endedByUs;
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private async Task PumpStdoutAsync()
    {
        var stdout = _process.StandardOutput.BaseStream;
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_gate)
                {
                    _received.Write(buffer, 0, n);
                    int room = StdoutTextLimit - _stdoutText.Length;
                    if (room > 0)
                    {
                        _stdoutText.Append(Encoding.UTF8.GetString(buffer, 0, Math.Min(n, room)));
                    }

                    SignalChanged();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was killed and its pipe torn down: the output ends here.
        }
    }

    private async Task PumpStderrAsync()
    {
        var stderr = _process.StandardError;
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_gate)
                {
                    _stderr.Append(buffer, 0, n);
                    SignalChanged();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // As for stdout.
        }
    }

    private async Task WatchExitAsync()
    {
        // "Exited" for the observation means: the process ended AND all its output has been read.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAll(_stdoutPump, _stderrPump).ConfigureAwait(false);
        lock (_gate)
        {
            _outputComplete = true;
            SignalChanged();
        }
    }

    private void SignalChanged()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
