namespace Vtls.Cli.Sessions;

/// <summary>How a TLS session ended.</summary>
/// <param name="CloseNotifyReceived">Whether the peer's close_notify arrived.</param>
/// <param name="Aborted">Whether this side closed without close_notify, as <c>--abort</c> asked.</param>
/// <param name="Error">The failure that ended it, or <see langword="null"/> for a clean end.</param>
internal sealed record SessionResult(bool CloseNotifyReceived, bool Aborted, Exception? Error)
{
    /// <summary>The process exit code for this end (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode => Error is null ? ExitCodes.Clean : ExitCodes.FromException(Error);
}
