namespace Vtls.Tests.Support;

/// <summary>A filter that forwards everything to the one below; test filters override what they change.</summary>
internal abstract class PassThroughFilter : ConnectionFilter
{
    protected PassThroughFilter(string name, ConnectionFilter next)
        : base(name, next, null)
    {
    }

    protected override Progress ConnectCore()
    {
        IsConnected = true;
        return Progress.Done;
    }

    protected override IoResult SendCore(ReadOnlySpan<byte> data) => Track(Next!.Send(data));

    protected override IoResult ReceiveCore(Span<byte> buffer) => Track(Next!.Receive(buffer));

    // The TLS filter above owns the shutdown; the transport's FIN is the test's business.
    protected override Progress ShutdownCore() => Progress.Done;

    protected override void CloseCore()
    {
    }

    protected IoResult Track(IoResult result)
    {
        Interest = result.IsWouldBlock ? Next!.Interest : IoInterest.None;
        return result;
    }
}
