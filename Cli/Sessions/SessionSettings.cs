namespace Vtls.Cli.Sessions;

/// <summary>How a <see cref="TlsSession"/> moves bytes and when it ends.</summary>
internal sealed record SessionSettings
{
    /// <summary>Send back what arrives (<c>serve --echo</c>) instead of writing it to the output.</summary>
    public bool Echo { get; init; }

    /// <summary>
    /// End this side when the input ends (<c>connect</c>); otherwise only when the peer ends (<c>serve</c>).
    /// </summary>
    public bool EndAtEndOfInput { get; init; }

    /// <summary>End by closing without close_notify (<c>--abort</c>) instead of a graceful shutdown.</summary>
    public bool Abort { get; init; }

    /// <summary>
    /// Keep delivering the peer's data after this side's close_notify, until the peer's (a backend with
    /// <see cref="TlsFeatures.HalfClose"/>). Without it the filter discards that data, as the contract says.
    /// </summary>
    public bool ReceiveWhileShuttingDown { get; init; }
}
