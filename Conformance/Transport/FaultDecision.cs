namespace Vtls.Conformance.Transport;

/// <summary>The two operations a schedule decides for.</summary>
internal enum FaultOperation
{
    Send,
    Receive,
}

/// <summary>One decision: report would-block, or pass the call down limited to <see cref="Limit"/> bytes.</summary>
internal readonly record struct FaultDecision(bool IsWouldBlock, int Limit)
{
    public static FaultDecision WouldBlock => new(true, 0);

    public static FaultDecision Pass(int limit) => new(false, limit);
}
