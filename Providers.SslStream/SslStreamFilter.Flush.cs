namespace Vtls.Providers.SslStream;

/// <summary>
/// Flushing: ciphertext that SslStream wrote into the memory stream but the filter below refused (would-block)
/// waits in the outbound queue until a flush, or any later call, passes it on.
/// </summary>
public sealed partial class SslStreamFilter
{
    /// <inheritdoc/>
    public override bool HasPendingOutput
    {
        get
        {
            lock (_gate)
            {
                return _bio.OutboundCount > 0 || base.HasPendingOutput;
            }
        }
    }

    /// <inheritdoc/>
    protected override Progress FlushCore() => Step(() =>
    {
        if (FlushOutbound())
        {
            return Progress.Done;
        }

        Interest = IoInterest.Write;
        return Progress.WouldBlock;
    });
}
