using System.Threading.Channels;

namespace Vtls.Cli.Sessions;

/// <summary>
/// Reads standard input on its own task, so that the TLS session can send what the user types while it
/// receives, without ever blocking on the input. Chunks wait in a small bounded queue.
/// </summary>
internal sealed class InputPump
{
    private const int ChunkSize = 16 * 1024;
    private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });

    private InputPump()
    {
    }

    /// <summary>Whether the input ended and every chunk was taken.</summary>
    public bool IsDrained => _chunks.Reader.Completion.IsCompleted;

    /// <summary>Starts reading <paramref name="input"/> until its end.</summary>
    /// <param name="input">The stream; a read error counts as its end.</param>
    /// <param name="stop">Stops the reading (a read already blocked on a terminal is abandoned, not awaited).</param>
    public static InputPump Start(Stream input, CancellationToken stop)
    {
        var pump = new InputPump();
        _ = Task.Run(() => pump.ReadAllAsync(input, stop), CancellationToken.None);
        return pump;
    }

    /// <summary>Takes the next chunk if one is ready.</summary>
    /// <param name="chunk">The bytes.</param>
    public bool TryTake(out byte[] chunk) => _chunks.Reader.TryRead(out chunk!);

    /// <summary>Completes when a chunk is ready or the input has ended.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    public Task WaitAsync(CancellationToken cancellationToken) =>
        _chunks.Reader.WaitToReadAsync(cancellationToken).AsTask();

    private async Task ReadAllAsync(Stream input, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkSize];
                int n = await input.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                await _chunks.Writer.WriteAsync(buffer[..n], stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The input is gone: for the session that is the end of input.
        }
        finally
        {
            _chunks.Writer.TryComplete();
        }
    }
}
