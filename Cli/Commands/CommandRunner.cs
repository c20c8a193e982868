using System.Net.Sockets;

namespace Vtls.Cli.Commands;

/// <summary>
/// Runs a command's body and turns whatever ends it into one message on standard error and an exit code.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; every expected failure becomes a message and its exit code.</summary>
    /// <param name="context">Where the message goes.</param>
    /// <param name="body">The command's work; returns its exit code.</param>
    /// <param name="cancellationToken">The command's token: when it fires the command was interrupted.</param>
    public static async Task<int> RunAsync(
        CliContext context,
        Func<Task<int>> body,
        CancellationToken cancellationToken)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            context.Fail(e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Status("interrupted: any open connection was closed, without close_notify");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is TlsException or IOException or SocketException or TimeoutException)
        {
            context.Fail(Describe(e));
            return ExitCodes.FromException(e);
        }
    }

    /// <summary>A one-line description of a failure: its kind, then its message.</summary>
    /// <param name="error">The failure.</param>
    public static string Describe(Exception error) => error switch
    {
        TlsException tls => $"{Label(tls.Kind)}: {tls.Message}",
        SocketException socket => $"transport error: {socket.Message} ({socket.SocketErrorCode})",
        _ => error.Message,
    };

    private static string Label(TlsErrorKind kind) => kind switch
    {
        TlsErrorKind.Truncated => "truncated",
        TlsErrorKind.Certificate => "certificate rejected",
        TlsErrorKind.Handshake => "handshake failed",
        TlsErrorKind.AlertReceived => "alert received",
        TlsErrorKind.Protocol => "protocol error",
        TlsErrorKind.TransportReset => "connection reset",
        TlsErrorKind.Transport => "transport error",
        TlsErrorKind.Timeout => "timeout",
        _ => "error",
    };
}
