namespace Vtls.Tests.Support;

/// <summary>
/// Runs non-blocking steps on the test thread until each reports done, within a bound: tests never hang.
/// </summary>
internal static class Drive
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Calls every unfinished step in turn until all returned true.</summary>
    public static void Until(params Func<bool>[] steps) => Until(DefaultTimeout, steps);

    public static void Until(TimeSpan timeout, params Func<bool>[] steps)
    {
        var done = new bool[steps.Length];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            bool progressed = false;
            for (int i = 0; i < steps.Length; i++)
            {
                if (!done[i] && steps[i]())
                {
                    done[i] = true;
                    progressed = true;
                }
            }

            if (done.All(d => d))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var pending = Enumerable.Range(0, steps.Length).Where(i => !done[i]);
                throw new TimeoutException($"Steps {string.Join(", ", pending)} did not finish within {timeout}.");
            }

            if (!progressed)
            {
                // Loopback I/O lands within microseconds; a short pause keeps the loop from burning a core.
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>Drives a connect to done.</summary>
    public static Func<bool> Connect(ConnectionFilter filter) => () => filter.Connect() == Progress.Done;

    /// <summary>Drives a shutdown to done.</summary>
    public static Func<bool> Shutdown(ConnectionFilter filter) => () => filter.Shutdown() == Progress.Done;

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public static Func<bool> SendAll(ConnectionFilter filter, byte[] data)
    {
        int sent = 0;
        return () =>
        {
            while (sent < data.Length)
            {
                var result = filter.Send(data.AsSpan(sent));
                if (result.IsWouldBlock)
                {
                    return false;
                }

                sent += result.Count;
            }

            return true;
        };
    }

    /// <summary>Receives into <paramref name="sink"/> until end-of-stream.</summary>
    public static Func<bool> ReceiveToEnd(ConnectionFilter filter, MemoryStream sink)
    {
        var buffer = new byte[16 * 1024];
        return () =>
        {
            while (true)
            {
                var result = filter.Receive(buffer);
                if (result.IsWouldBlock)
                {
                    return false;
                }

                if (result.IsEndOfStream)
                {
                    return true;
                }

                sink.Write(buffer, 0, result.Count);
            }
        };
    }

    /// <summary>Receives exactly <paramref name="count"/> bytes into <paramref name="sink"/>.</summary>
    public static Func<bool> ReceiveExactly(ConnectionFilter filter, MemoryStream sink, long count)
    {
        var buffer = new byte[16 * 1024];
        return () =>
        {
            while (sink.Length < count)
            {
                int want = (int)Math.Min(buffer.Length, count - sink.Length);
                var result = filter.Receive(buffer.AsSpan(0, want));
                if (result.IsWouldBlock)
                {
                    return false;
                }

                if (result.IsEndOfStream)
                {
                    throw new InvalidOperationException($"End of stream after {sink.Length} of {count} bytes.");
                }

                sink.Write(buffer, 0, result.Count);
            }

            return true;
        };
    }

    /// <summary>
    /// A step that is finished when <paramref name="operation"/> is done or has failed; the failure, if any, is
    /// in <see cref="Outcome.Error"/>.
    /// </summary>
    public static Func<bool> Capture(Func<bool> operation, Outcome outcome) => () =>
    {
        try
        {
            return operation();
        }
        catch (TlsException e)
        {
            outcome.Error = e;
            return true;
        }
    };

    /// <summary>Runs <paramref name="operation"/> until it throws, and returns what it threw.</summary>
    public static TlsException UntilThrows(Func<bool> operation, TimeSpan? timeout = null)
    {
        TlsException? caught = null;
        Until(timeout ?? DefaultTimeout, () =>
        {
            try
            {
                if (operation())
                {
                    throw new InvalidOperationException("The operation completed instead of failing.");
                }

                return false;
            }
            catch (TlsException e)
            {
                caught = e;
                return true;
            }
        });
        return caught!;
    }

    /// <summary>Where <see cref="Capture"/> puts a failure.</summary>
    public sealed class Outcome
    {
        public TlsException? Error { get; set; }
    }
}
